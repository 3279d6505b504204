/** The contract's error shape is the shared one: the engine, the documents and the core throw it as is. */
export { AppError, isAppErrorInfo, toAppErrorInfo, type AppErrorCode, type AppErrorInfo } from "../errors/app-error";
