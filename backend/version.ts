import pkg from '../package.json';

export const PLUGIN_ID = 'sigil-awsapi-datasource';
export const PLUGIN_VERSION: string = pkg.version;
