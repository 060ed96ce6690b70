// Where the admin documentation lives: the README of the project, also shipped in the plugin folder.
// plugin.json's info.links and the README's own links use the same address (checked by e2e/docs tests).
export const PROJECT_URL = 'https://github.com/sigil-awsapi/sigil-awsapi-datasource';
export const CONFIG_DOCS_URL = `${PROJECT_URL}#configuring-a-data-source`;
