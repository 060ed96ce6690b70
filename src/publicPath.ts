// Tell webpack where the plugin's files are served from, using the AMD module's own URL, so that lazily
// loaded chunks and assets resolve when Grafana is served under a sub-path. Falls back to the plugin root.
import amdModule from 'amd-module';

const uri = amdModule && typeof amdModule.uri === 'string' ? amdModule.uri : undefined;
__webpack_public_path__ = uri ? uri.slice(0, uri.lastIndexOf('/') + 1) : 'public/plugins/sigil-awsapi-datasource/';
