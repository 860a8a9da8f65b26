export {
  callNotesApi,
  callNotesApiAsMachine,
  machinePage,
  notesAnswer,
  notesPath,
} from './api.js';
export type { ExampleConfig } from './config.js';
export { ConfigError, readConfig } from './config.js';
export { logtoOptions } from './logto-options.js';
export { runExample } from './run-example.js';
export type { ScaleOut } from './scale-out.js';
export { scaleOutFrom } from './scale-out.js';
export {
  type AuthLinks,
  claimsPage,
  claimsTable,
  escapeHtml,
  headerContent,
  homePage,
  layout,
  notePage,
  pageStyle,
} from './views.js';
