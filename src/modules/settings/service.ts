// Bank-wide and per-institution settings, stored as JSON under a key; each module names its keys
// and reads or writes them through these functions (the store is private to this module).
export { putSetting, replaceSetting, setting, settingOnce } from './store.js';
