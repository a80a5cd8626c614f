export { contentDisposition } from './content-disposition';
export { type FinishedFile, finishUpload, type FinishUploadOptions } from './finish-upload';
export { type DescribeImageOptions, describeImage, type ImageInfo } from './images';
export { createLocalStorage, type LocalStorageOptions } from './local-storage';
export { receiveUpload, type ReceiveUploadOptions } from './receive-upload';
export { createS3Storage, type S3StorageOptions } from './s3-storage';
export { dispositionFor, FILE_SECURITY_HEADERS, fileResponse, servedType } from './serve-file';
export { createUrlSigner, type UrlSigner } from './signed-url';
export { checkType, DEFAULT_ALLOWED_TYPES, SAFE_IMAGE_TYPES, SNIFF_BYTES, sniffType } from './sniff';
export {
  assertKey,
  type DirectUpload,
  type DownloadOptions,
  type FileStorage,
  FileTooLargeError,
  type WriteOptions,
} from './storage';
export { StorageConfigError, storageFromEnv } from './storage-from-env';
export { withStorage } from './storage-errors';
