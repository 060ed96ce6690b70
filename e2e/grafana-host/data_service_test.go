package grafanahost_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/sigil/e2e/grafana-host/host"
)

// When Grafana cancels a QueryData call (the dashboard was closed, the query timed out), the plugin stops the
// AWS request it was waiting on instead of holding the connection until its own 30 s timeout.
func TestCancelledQueryStopsTheOutgoingRequest(t *testing.T) {
	arrived := make(chan struct{}, 1)
	clientGone := make(chan time.Time, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
			clientGone <- time.Now()
		case <-time.After(20 * time.Second):
		}
	}))
	defer slow.Close()

	h := start(t, nil)
	jsonData := fmt.Sprintf(`{"authType":"keys","defaultRegion":"us-east-1","service":"execute-api","allowedUrls":[%q],"timeoutSeconds":30}`, slow.URL+"/")
	pc := host.PluginContext(&host.DataSource{
		UID: "ds-cancel", Name: "cancel", JSONData: json.RawMessage(jsonData), LastUpdatedMS: 1,
		SecureJSONData: map[string]string{"accessKey": "AKIAIOSFODNN7EXAMPLE", "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
	}, nil)
	model := fmt.Sprintf(`{"queryType":"http","method":"GET","url":%q,"format":"json"}`, slow.URL+"/slow")

	callCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := h.Data.QueryData(callCtx, &pluginv2.QueryDataRequest{PluginContext: pc, Queries: []*pluginv2.DataQuery{
			{RefId: "A", QueryType: "http", Json: []byte(model), TimeRange: &pluginv2.TimeRange{FromEpochMS: 0, ToEpochMS: 1000}},
		}})
		done <- err
	}()

	select {
	case <-arrived:
	case <-time.After(15 * time.Second):
		t.Fatal("the plugin never sent the request to the local server")
	}
	cancelled := time.Now()
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the cancelled call returned no error")
	}
	select {
	case at := <-clientGone:
		t.Logf("outgoing request closed %v after the cancel", at.Sub(cancelled).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("the plugin kept the outgoing request open for 5 s after Grafana cancelled the call")
	}

	// The plugin is still healthy after a cancelled call.
	if err := h.Ping(); err != nil {
		t.Fatalf("ping after cancel: %v", err)
	}
}

// QueryChunkedData is answered as grafana-plugin-sdk-go answers for a plugin without a chunked handler: one
// message with status 501 (Grafana then uses QueryData), not a transport error.
func TestQueryChunkedDataAnswersLikeAnSDKPluginWithoutIt(t *testing.T) {
	h := start(t, nil)
	stream, err := h.Data.QueryChunkedData(ctx(t), &pluginv2.QueryChunkedDataRequest{PluginContext: pluginContext(), Queries: []*pluginv2.DataQuery{
		echoQuery("A", `{"values":[1]}`, 0, 1000),
	}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil {
		t.Fatalf("first message: %v", err)
	}
	if first.Status != http.StatusNotImplemented {
		t.Fatalf("status %d, want 501", first.Status)
	}
	if _, err := stream.Recv(); err == nil {
		t.Fatal("want the stream to end after the 501 message")
	}
}

// What the browser receives: Grafana turns each decoded frame into the data-frame JSON of /api/ds/query with the
// SDK's encoder. Field types, labels, nulls and epoch-millisecond times must come through that step too.
func TestFramesReachTheBrowserAsGrafanaEncodesThem(t *testing.T) {
	h := start(t, nil)
	resp, err := h.Data.QueryData(ctx(t), &pluginv2.QueryDataRequest{PluginContext: pluginContext(), Queries: []*pluginv2.DataQuery{
		echoQuery("A", `{"values":[2.5,null],"strings":["x",null],"labels":{"queue":"orders"}}`, 1700000000000, 1700000060000),
	}})
	if err != nil {
		t.Fatal(err)
	}
	frame := decodeOne(t, resp.Responses["A"])
	raw, err := data.FrameToJSON(frame, data.IncludeAll)
	if err != nil {
		t.Fatalf("the SDK cannot encode the frame for the browser: %v", err)
	}
	var doc struct {
		Schema struct {
			RefID string `json:"refId"`
			Meta  struct {
				Type string `json:"type"`
			} `json:"meta"`
			Fields []struct {
				Name   string            `json:"name"`
				Type   string            `json:"type"`
				Labels map[string]string `json:"labels"`
			} `json:"fields"`
		} `json:"schema"`
		Data struct {
			Values [][]interface{} `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, f := range doc.Schema.Fields {
		types = append(types, f.Name+":"+f.Type)
	}
	if got := fmt.Sprint(types); got != "[time:time value:number text:string]" {
		t.Fatalf("fields %s", got)
	}
	if doc.Schema.RefID != "A" || doc.Schema.Meta.Type != "timeseries-wide" || doc.Schema.Fields[1].Labels["queue"] != "orders" {
		t.Fatalf("schema %s", raw)
	}
	values := fmt.Sprint(doc.Data.Values)
	if values != "[[1.7e+12 1.70000006e+12] [2.5 <nil>] [x <nil>]]" {
		t.Fatalf("values %s", values)
	}
}
