export declare const buildInfoPath: string
export declare function findStaleReason(rootDir: string, outputs?: string[]): string | undefined
