// Errors of the server: ApiError is what the API answers (a BanterError of the closed code set).
export { ApiError, toApiError, validationError } from './api-error';
