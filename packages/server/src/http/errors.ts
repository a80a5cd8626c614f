// Moved to errors/api-error.ts (storage and other layers throw ApiError without importing http/).
// Kept so code written against the old path still builds; import from '../errors/api-error'.
export { ApiError, toApiError, validationError } from '../errors/api-error';
