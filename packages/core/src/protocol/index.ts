export * from './channels';
export * from './errors';
export * from './limits';
export * from './schemas';
export * from './attachments';
export * from './inputs';
export * from './profile';
export * from './lifecycle';
