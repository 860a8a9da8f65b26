// Tests run the adapter on Express 4 too, installed under the alias `express4`.
declare module 'express4' {
  import express from 'express';
  export default express;
}
