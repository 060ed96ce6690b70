package host

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// The benchmarks' floor: a script of directSigned calls runs without a plugin, each request carries a SigV4
// signature for the given key, region and service, and a refused or non-JSON answer is the call's error.
func TestDirectSignedScript(t *testing.T) {
	authorization := regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=AKID/\d{8}/eu-west-1/execute-api/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`)
	var seen []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		switch {
		case !authorization.MatchString(r.Header.Get("Authorization")) || r.Header.Get("X-Amz-Date") == "":
			w.WriteHeader(http.StatusForbidden)
		case r.URL.Path == "/text":
			_, _ = w.Write([]byte("not json"))
		default:
			_, _ = w.Write([]byte(`[{"v":1}]`))
		}
	}))
	defer target.Close()
	signing := &Signing{AccessKey: "AKID", SecretKey: "secret", Region: "eu-west-1", Service: "execute-api"}
	call := func(path string, s *Signing) Call {
		return Call{Kind: "directSigned", URL: target.URL + path, Signing: s}
	}
	wrong := &Signing{AccessKey: "OTHER", SecretKey: "secret", Region: "eu-west-1", Service: "execute-api"}
	results, err := Run(Script{Calls: []Call{call("/rows", signing), call("/rows", signing), call("/rows", wrong), call("/text", signing), {Kind: "directSigned", URL: target.URL}}}, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	for i, want := range []string{"", "", "HTTP 403", "invalid character", "needs \"url\" and \"signing\""} {
		got := results[i].GRPCError
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("call %d: error %q, want one containing %q", i, got, want)
		}
		if i < 4 && results[i].ElapsedMS <= 0 { // the last one is refused before any request
			t.Errorf("call %d: elapsedMs %v", i, results[i].ElapsedMS)
		}
	}
	if len(seen) != 4 {
		t.Fatalf("the target saw %d requests, want 4", len(seen))
	}
	if !authorization.MatchString(seen[0]) {
		t.Errorf("first request's Authorization %q", seen[0])
	}
}

func TestScriptWithoutPluginRefusesPluginCalls(t *testing.T) {
	_, err := Run(Script{Calls: []Call{{Kind: "directSigned"}, {Kind: "queryData"}}}, nil)
	if err == nil || !strings.Contains(err.Error(), `"plugin"`) {
		t.Fatalf("err = %v, want the plugin to be required", err)
	}
}
