export type { ExampleConfig } from './config.js';
export { ConfigError, readConfig } from './config.js';
export { claimsPage, claimsTable, escapeHtml, homePage, layout, notePage } from './views.js';
