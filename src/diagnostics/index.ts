export * from "./diagnostic.js";
export * from "./render.js";
export * from "./fs-errors.js";
export * from "./suggest.js";
