// Proofs that the Node plugin executable speaks Grafana's plugin protocol: it is started and called by
// hashicorp/go-plugin's client with grafana-plugin-sdk-go's handshake and plugin set, as Grafana does, and its
// frames are decoded by the SDK's data package.
package grafanahost_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/sigil/e2e/grafana-host/host"
)

var executable = filepath.Join("..", "..", "dist", "gpx_sigil_linux_amd64")

// requireExecutable skips when the plugin is not built, unless CI or SIGIL_REQUIRE_DIST asks for it.
// SIGIL_PLUGIN_EXECUTABLE runs the proofs against another build (e.g. a qemu wrapper for the arm64 one).
func requireExecutable(t *testing.T) string {
	t.Helper()
	path := executable
	if p := os.Getenv("SIGIL_PLUGIN_EXECUTABLE"); p != "" {
		path = p
	}
	abs, _ := filepath.Abs(path)
	if _, err := os.Stat(abs); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("SIGIL_REQUIRE_DIST") != "" {
			t.Fatalf("plugin executable %s is missing (run `npm run build:backend`): %v", abs, err)
		}
		t.Skipf("plugin executable %s is missing; run `npm run build:backend` (set SIGIL_REQUIRE_DIST=1 to fail instead)", abs)
	}
	return abs
}

func start(t *testing.T, env map[string]string) *host.Host {
	t.Helper()
	h, err := host.Start(requireExecutable(t), host.Options{Env: env})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(h.Stop)
	return h
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

func pluginContext() *pluginv2.PluginContext {
	return host.PluginContext(&host.DataSource{UID: "ds-e2e", Name: "e2e", JSONData: json.RawMessage(`{"defaultRegion":"us-east-1"}`), LastUpdatedMS: 1}, nil)
}

// callerIdentityXML is what STS GetCallerIdentity answers.
const callerIdentityXML = `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/e2e</Arn>` +
	`<UserId>AIDAE2E</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`

// fakeSTS is an STS endpoint on loopback that answers GetCallerIdentity for any signed request, so a health
// check has one known outcome. It is closed when the test ends.
func fakeSTS(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, callerIdentityXML)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// healthContext is a data source with keys whose endpoint (and so STS) is the given loopback URL.
func healthContext(endpoint string) *pluginv2.PluginContext {
	jsonData := fmt.Sprintf(`{"authType":"keys","defaultRegion":"us-east-1","endpoint":%q}`, endpoint)
	return host.PluginContext(&host.DataSource{
		UID: "ds-health", Name: "health", JSONData: json.RawMessage(jsonData), LastUpdatedMS: 1,
		SecureJSONData: map[string]string{"accessKey": "AKIDE2EHEALTH", "secretKey": "e2e-health-secret-key"},
	}, nil)
}

func echoQuery(refID string, model string, fromMS, toMS int64) *pluginv2.DataQuery {
	return &pluginv2.DataQuery{RefId: refID, QueryType: "echo", Json: []byte(model), TimeRange: &pluginv2.TimeRange{FromEpochMS: fromMS, ToEpochMS: toMS}}
}

func decodeOne(t *testing.T, resp *pluginv2.DataResponse) *data.Frame {
	t.Helper()
	if resp == nil {
		t.Fatal("no response")
	}
	if resp.Error != "" {
		t.Fatalf("unexpected error: %s", resp.Error)
	}
	if len(resp.Frames) != 1 {
		t.Fatalf("want 1 frame, got %d", len(resp.Frames))
	}
	f, err := data.UnmarshalArrowFrame(resp.Frames[0])
	if err != nil {
		t.Fatalf("the SDK cannot decode the frame: %v", err)
	}
	return f
}

func TestCheckHealth(t *testing.T) {
	h := start(t, nil)
	if err := h.Ping(); err != nil {
		t.Fatalf("grpc.health.v1 ping of service \"plugin\": %v", err)
	}
	// A loopback STS answers GetCallerIdentity: the check must be OK and name the caller.
	resp, err := h.Diagnostics.CheckHealth(ctx(t), &pluginv2.CheckHealthRequest{PluginContext: healthContext(fakeSTS(t))})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("status %v, message %q", resp.Status, resp.Message)
	}
	if !strings.Contains(resp.Message, "arn:aws:iam::111122223333:user/e2e") {
		t.Fatalf("message does not name the caller: %q", resp.Message)
	}
	var details map[string]interface{}
	if err := json.Unmarshal(resp.JsonDetails, &details); err != nil {
		t.Fatalf("jsonDetails is not JSON: %v (%q)", err, resp.JsonDetails)
	}
	if details["account"] != "111122223333" {
		t.Fatalf("jsonDetails account: %v", details)
	}
	// Settings that cannot be read fail closed, at the settings step.
	bad := host.PluginContext(&host.DataSource{UID: "ds-bad", Name: "bad", JSONData: json.RawMessage(`[1]`), LastUpdatedMS: 1}, nil)
	failed, err := h.Diagnostics.CheckHealth(ctx(t), &pluginv2.CheckHealthRequest{PluginContext: bad})
	if err != nil {
		t.Fatal(err)
	}
	if failed.Status != pluginv2.CheckHealthResponse_ERROR || !strings.HasPrefix(failed.Message, "Settings failed: ") || !strings.Contains(failed.Message, "could not be read") {
		t.Fatalf("unreadable settings: status %v, message %q", failed.Status, failed.Message)
	}
}

func packageVersion(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.Version
}

func TestQueryDataEchoFrames(t *testing.T) {
	h := start(t, nil)
	resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(),
		Headers:       map[string]string{"X-Grafana-Org-Id": "1"},
		Queries: []*pluginv2.DataQuery{
			echoQuery("A", `{"values":[1.5,null,-3],"strings":["a",null,"ünï"],"labels":{"service":"aps","region":"eu-west-1"}}`, 1000, 3000),
			echoQuery("Z", `{"rows":0}`, 0, 1000),
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	a := decodeOne(t, resp.Responses["A"])
	if a.RefID != "A" || a.Name != "echo" {
		t.Fatalf("frame name %q refId %q", a.Name, a.RefID)
	}
	if a.Meta == nil || a.Meta.Type != data.FrameTypeTimeSeriesWide {
		t.Fatalf("meta %+v", a.Meta)
	}
	if len(a.Fields) != 3 {
		t.Fatalf("want 3 fields, got %d", len(a.Fields))
	}
	wantTypes := []data.FieldType{data.FieldTypeNullableTime, data.FieldTypeNullableFloat64, data.FieldTypeNullableString}
	for i, name := range []string{"time", "value", "text"} {
		if a.Fields[i].Name != name || a.Fields[i].Type() != wantTypes[i] {
			t.Fatalf("field %d: %q %s, want %q %s", i, a.Fields[i].Name, a.Fields[i].Type(), name, wantTypes[i])
		}
	}
	for i, ms := range []int64{1000, 2000, 3000} {
		got := a.Fields[0].At(i).(*time.Time)
		if got == nil || got.UnixMilli() != ms {
			t.Fatalf("time[%d] = %v, want %d ms", i, got, ms)
		}
	}
	vals := a.Fields[1]
	if v := vals.At(0).(*float64); v == nil || *v != 1.5 {
		t.Fatalf("value[0] = %v", v)
	}
	if v := vals.At(1).(*float64); v != nil {
		t.Fatalf("value[1] should be null, got %v", *v)
	}
	if v := vals.At(2).(*float64); v == nil || *v != -3 {
		t.Fatalf("value[2] = %v", v)
	}
	if vals.Labels["service"] != "aps" || vals.Labels["region"] != "eu-west-1" || len(vals.Labels) != 2 {
		t.Fatalf("labels %v", vals.Labels)
	}
	texts := a.Fields[2]
	if s := texts.At(0).(*string); s == nil || *s != "a" {
		t.Fatalf("text[0] = %v", s)
	}
	if s := texts.At(1).(*string); s != nil {
		t.Fatalf("text[1] should be null, got %q", *s)
	}
	if s := texts.At(2).(*string); s == nil || *s != "ünï" {
		t.Fatalf("text[2] = %v", s)
	}

	z := decodeOne(t, resp.Responses["Z"])
	if rows, _ := z.RowLen(); rows != 0 || z.RefID != "Z" || len(z.Fields) != 2 {
		t.Fatalf("0-row frame: rows %d refId %q fields %d", rows, z.RefID, len(z.Fields))
	}
}

func TestQueryDataMillionRows(t *testing.T) {
	h := start(t, nil)
	const rows = 1_000_000
	resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(),
		Queries:       []*pluginv2.DataQuery{echoQuery("M", fmt.Sprintf(`{"rows":%d}`, rows), 0, rows-1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := decodeOne(t, resp.Responses["M"])
	if n, _ := f.RowLen(); n != rows {
		t.Fatalf("rows %d, want %d", n, rows)
	}
	for _, i := range []int{0, 1, 500_000, rows - 1} {
		if v := f.Fields[1].At(i).(*float64); v == nil || *v != float64(i) {
			t.Fatalf("value[%d] = %v", i, v)
		}
		if ts := f.Fields[0].At(i).(*time.Time); ts == nil || ts.UnixMilli() != int64(i) {
			t.Fatalf("time[%d] = %v", i, ts)
		}
	}
}

func TestQueryDataErrorsArePerRefID(t *testing.T) {
	h := start(t, nil)
	resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(),
		Queries: []*pluginv2.DataQuery{
			{RefId: "BAD", Json: []byte(`{"queryType":"echo",`), TimeRange: &pluginv2.TimeRange{}},
			{RefId: "UNKNOWN", QueryType: "no-such-type", Json: []byte(`{}`), TimeRange: &pluginv2.TimeRange{}},
			echoQuery("OK", `{"values":[7]}`, 0, 0),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for refID, want := range map[string]string{"BAD": "malformed", "UNKNOWN": "no-such-type"} {
		r := resp.Responses[refID]
		if r == nil || r.Error == "" || !strings.Contains(r.Error, want) {
			t.Fatalf("%s: want an error mentioning %q, got %+v", refID, want, r)
		}
		if r.Status != 400 || r.ErrorSource != "plugin" || len(r.Frames) != 0 {
			t.Fatalf("%s: status %d source %q frames %d", refID, r.Status, r.ErrorSource, len(r.Frames))
		}
	}
	ok := decodeOne(t, resp.Responses["OK"])
	if v := ok.Fields[1].At(0).(*float64); v == nil || *v != 7 {
		t.Fatalf("the neighbour of failing queries did not answer: %v", v)
	}
	// The process is still serving after bad requests.
	if err := h.Ping(); err != nil {
		t.Fatalf("plugin stopped serving after bad queries: %v", err)
	}
}

func TestCallResource(t *testing.T) {
	h := start(t, nil)
	call := func(path string) (int32, []byte) {
		stream, err := h.Resource.CallResource(ctx(t), &pluginv2.CallResourceRequest{PluginContext: pluginContext(), Path: path, Method: "GET", Url: "/" + path})
		if err != nil {
			t.Fatal(err)
		}
		var code int32
		var body []byte
		for i := 0; ; i++ {
			chunk, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				code = chunk.Code
			}
			body = append(body, chunk.Body...)
		}
		return code, body
	}
	code, body := call("version")
	var v struct{ Version string }
	if code != 200 || json.Unmarshal(body, &v) != nil || v.Version != packageVersion(t) {
		t.Fatalf("version: %d %s", code, body)
	}
	if code, body := call("no/such/route"); code != 404 {
		t.Fatalf("unknown route: %d %s", code, body)
	}
}

func TestCollectMetrics(t *testing.T) {
	h := start(t, nil)
	if _, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{PluginContext: pluginContext(), Queries: []*pluginv2.DataQuery{echoQuery("A", `{}`, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	resp, err := h.Diagnostics.CollectMetrics(ctx(t), &pluginv2.CollectMetricsRequest{PluginContext: pluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	text := string(resp.Metrics.Prometheus)
	for _, want := range []string{"# TYPE process_resident_memory_bytes gauge", "process_cpu_seconds_total ", `sigil_grpc_requests_total{method="QueryData",code="OK"} 1`} {
		if !strings.Contains(text, want) {
			t.Fatalf("metrics lack %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if _, err := strconv.ParseFloat(fields[len(fields)-1], 64); err != nil || len(fields) != 2 {
			t.Fatalf("not a Prometheus sample line: %q", line)
		}
	}
}

func TestUnixSocket(t *testing.T) {
	dir := t.TempDir()
	h := start(t, map[string]string{"PLUGIN_UNIX_SOCKET_DIR": dir})
	if addr := h.Client.ReattachConfig().Addr; addr.Network() != "unix" || !strings.HasPrefix(addr.String(), dir) {
		t.Fatalf("want a unix socket in %s, got %s %s", dir, addr.Network(), addr)
	}
	resp, err := h.Diagnostics.CheckHealth(ctx(t), &pluginv2.CheckHealthRequest{PluginContext: healthContext(fakeSTS(t))})
	if err != nil || resp.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("health over unix socket: %v %v", resp, err)
	}
}

// With no socket folder named, the plugin serves on a unix socket in the temp folder (as go-plugin's own
// servers do), which only its user may use, and removes it when Grafana stops it.
func TestUnixSocketByDefault(t *testing.T) {
	dir := t.TempDir()
	h := start(t, map[string]string{"TMPDIR": dir})
	addr := h.Client.ReattachConfig().Addr
	if addr.Network() != "unix" || filepath.Dir(addr.String()) != dir {
		t.Fatalf("want a unix socket in %s, got %s %s", dir, addr.Network(), addr)
	}
	info, err := os.Stat(addr.String())
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("want the socket with mode 0600, got %v %v", info, err)
	}
	resp, err := h.Diagnostics.CheckHealth(ctx(t), &pluginv2.CheckHealthRequest{PluginContext: healthContext(fakeSTS(t))})
	if err != nil || resp.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("health over the default unix socket: %v %v", resp, err)
	}
	h.Client.Kill()
	if _, err := os.Stat(addr.String()); !os.IsNotExist(err) {
		t.Fatalf("the socket is still there after the plugin stopped: %v", err)
	}
}

// processGone reports whether pid has exited (gone, or a zombie waiting to be reaped).
func processGone(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(stat)
	i := strings.LastIndex(s, ")")
	return i > 0 && len(s) > i+2 && (s[i+2] == 'Z' || s[i+2] == 'X')
}

func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("plugin process %d still running after %s", pid, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCleanShutdown(t *testing.T) {
	h, err := host.Start(requireExecutable(t), host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pid := h.Pid
	if pid == 0 {
		t.Fatal("no plugin pid")
	}
	started := time.Now()
	h.Stop() // GRPCController.Shutdown, then go-plugin waits up to 2 s before killing
	if took := time.Since(started); took > 1900*time.Millisecond {
		t.Fatalf("shutdown took %s: the plugin did not exit on Shutdown", took)
	}
	waitGone(t, pid, 2*time.Second)
	logs := h.Logs.String()
	if strings.Contains(logs, "failed to exit gracefully") {
		t.Fatalf("go-plugin had to kill the plugin:\n%s", logs)
	}
	exitLine := ""
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "plugin process exited") {
			exitLine = line
		}
	}
	if exitLine == "" || strings.Contains(exitLine, `"error"`) {
		t.Fatalf("want a clean exit (status 0), got %q", exitLine)
	}
	if !h.Client.Exited() {
		t.Fatal("go-plugin does not see the plugin as exited")
	}
}

// TestExitsWhenHostGoesAway kills a host process abruptly (no Shutdown call) and expects its plugin to exit.
func TestExitsWhenHostGoesAway(t *testing.T) {
	exe := requireExecutable(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHostProcess$")
	cmd.Env = append(os.Environ(), "SIGIL_HELPER_HOST="+exe)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := 0
	scanner := bufio.NewScanner(out)
	for scanner.Scan() {
		if p, ok := strings.CutPrefix(scanner.Text(), "PLUGIN_PID="); ok {
			pid, _ = strconv.Atoi(p)
			break
		}
	}
	if pid == 0 {
		_ = cmd.Process.Kill()
		t.Fatal("helper host did not report the plugin pid")
	}
	if processGone(pid) {
		t.Fatal("plugin is not running before the host goes away")
	}
	_ = cmd.Process.Kill() // SIGKILL: no Shutdown, no cleanup
	_ = cmd.Wait()
	waitGone(t, pid, 5*time.Second)
}

// TestHelperHostProcess is not a test: TestExitsWhenHostGoesAway runs it as the host that disappears.
func TestHelperHostProcess(t *testing.T) {
	exe := os.Getenv("SIGIL_HELPER_HOST")
	if exe == "" {
		t.Skip("helper for TestExitsWhenHostGoesAway")
	}
	h, err := host.Start(exe, host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("PLUGIN_PID=%d\n", h.Pid)
	time.Sleep(time.Minute)
}

func TestRefusesToRunByHand(t *testing.T) {
	exe := requireExecutable(t)
	run := func(env []string) (int, string, string) {
		cmd := exec.Command(exe)
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	code, stdout, stderr := run([]string{"PATH=" + os.Getenv("PATH")})
	if code != 1 || stdout != "" || !strings.Contains(stderr, "not meant to be run directly") || !strings.Contains(stderr, "grafana_plugin_type") {
		t.Fatalf("without the magic cookie: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = run([]string{host.Handshake.MagicCookieKey + "=" + host.Handshake.MagicCookieValue, "PLUGIN_PROTOCOL_VERSIONS=1"})
	if code != 1 || stdout != "" || !strings.Contains(stderr, "protocol version") {
		t.Fatalf("with only protocol version 1 offered: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// Grafana sends queries concurrently on one connection; each answer must belong to its own request.
func TestConcurrentQueries(t *testing.T) {
	h := start(t, nil)
	const n = 24
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{
				PluginContext: pluginContext(),
				Queries:       []*pluginv2.DataQuery{echoQuery(fmt.Sprintf("Q%d", i), fmt.Sprintf(`{"values":[%d]}`, i), 0, 0)},
			})
			if err != nil {
				errs <- err
				return
			}
			dr := resp.Responses[fmt.Sprintf("Q%d", i)]
			if dr == nil || len(dr.Frames) != 1 {
				errs <- fmt.Errorf("Q%d: %+v", i, dr)
				return
			}
			f, err := data.UnmarshalArrowFrame(dr.Frames[0])
			if err != nil {
				errs <- err
				return
			}
			if v := f.Fields[1].At(0).(*float64); v == nil || *v != float64(i) || f.RefID != fmt.Sprintf("Q%d", i) {
				errs <- fmt.Errorf("Q%d answered with %v (refId %s)", i, v, f.RefID)
				return
			}
			errs <- nil
		}(i)
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// A request larger than gRPC's default 4 MiB limit is accepted, as Grafana's client allows up to 2 GiB.
func TestLargeRequest(t *testing.T) {
	h := start(t, nil)
	const count = 1_000_000
	var b strings.Builder
	b.WriteString(`{"values":[`)
	for i := 0; i < count; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("1.2500")
	}
	b.WriteString("]}")
	if b.Len() < 4<<20 {
		t.Fatalf("request only %d bytes", b.Len())
	}
	resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{PluginContext: pluginContext(), Queries: []*pluginv2.DataQuery{echoQuery("BIG", b.String(), 0, count)}})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := decodeOne(t, resp.Responses["BIG"]).RowLen(); n != count {
		t.Fatalf("rows %d, want %d", n, count)
	}
}

// The arm64 runtime, run under qemu user emulation when it is installed (Debian: qemu-user-static), answers
// Grafana's client like the amd64 one. qemu runs the bundled arm64 loader on the bundled Node directly, as the
// launcher gpx_sigil_linux_arm64 would exec it (the launcher's own exec of an arm64 file needs binfmt_misc;
// e2e/runtime-rootfs.e2e.test.ts registers it and starts the launcher itself in an empty root).
func TestArm64ExecutableUnderQemu(t *testing.T) {
	const qemu = "/usr/bin/qemu-aarch64-static"
	lib, _ := filepath.Abs(filepath.Join("..", "..", "dist", "lib", "arm64"))
	loader, node := filepath.Join(lib, "ld-linux-aarch64.so.1"), filepath.Join(lib, "sigil-node")
	for _, p := range []string{qemu, loader, node} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("needs %s: %v", p, err)
		}
	}
	wrapper := filepath.Join(t.TempDir(), "gpx_sigil_linux_arm64_qemu")
	script := fmt.Sprintf("#!/bin/sh\nexec %s %s --inhibit-cache --library-path %s %s \"$@\"\n", qemu, loader, lib, node)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	h, err := host.Start(wrapper, host.Options{})
	if err != nil {
		t.Fatalf("start arm64 plugin: %v", err)
	}
	defer h.Stop()
	resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(),
		Queries:       []*pluginv2.DataQuery{echoQuery("A", `{"values":[1,null,2.5],"labels":{"arch":"arm64"}}`, 0, 2000)},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := decodeOne(t, resp.Responses["A"])
	if v := f.Fields[1].At(2).(*float64); v == nil || *v != 2.5 || f.Fields[1].At(1).(*float64) != nil || f.Fields[1].Labels["arch"] != "arm64" {
		t.Fatalf("arm64 frame: %v", f.Fields[1])
	}
	if ts := f.Fields[0].At(2).(*time.Time); ts == nil || ts.UnixMilli() != 2000 {
		t.Fatalf("arm64 time: %v", ts)
	}
}
