/** @module The adapter's name, shared by its backend and record store (`unstorage`'s `DRIVER_NAME`). */
export const ADAPTER_NAME = 'tablestore'
