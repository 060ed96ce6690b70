package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/status"
)

// PluginID is the id Grafana sends in every PluginContext.
const PluginID = "sigil-awsapi-datasource"

// Script drives one plugin process through a list of calls (see ../README.md).
type Script struct {
	Plugin string            `json:"plugin"`
	Env    map[string]string `json:"env"`
	// ValuesLimit caps the values printed per field (0: all). Row counts are always exact.
	ValuesLimit int    `json:"valuesLimit"`
	Calls       []Call `json:"calls"`
}

// DataSource is the data source a call is made for; Grafana sends it in the PluginContext.
type DataSource struct {
	ID       int64           `json:"id"`
	UID      string          `json:"uid"`
	Name     string          `json:"name"`
	URL      string          `json:"url"`
	JSONData json.RawMessage `json:"jsonData"`
	// RawJSONData (if set, even empty) is sent verbatim as jsonData: malformed or empty settings bytes.
	RawJSONData    *string           `json:"rawJsonData"`
	SecureJSONData map[string]string `json:"secureJsonData"`
	LastUpdatedMS  int64             `json:"lastUpdatedMS"`
}

// Query is one DataQuery. JSON is the query model; RawJSON (if set) is sent verbatim instead.
type Query struct {
	RefID         string          `json:"refId"`
	QueryType     string          `json:"queryType"`
	JSON          json.RawMessage `json:"json"`
	RawJSON       *string         `json:"rawJson"`
	From          int64           `json:"from"`
	To            int64           `json:"to"`
	MaxDataPoints int64           `json:"maxDataPoints"`
	IntervalMS    int64           `json:"intervalMs"`
}

// Call is one protocol call.
type Call struct {
	Kind          string              `json:"kind"` // checkHealth | queryData | callResource | collectMetrics | directSigned
	DataSource    *DataSource         `json:"dataSource"`
	GrafanaConfig map[string]string   `json:"grafanaConfig"`
	Headers       map[string]string   `json:"headers"`
	Queries       []Query             `json:"queries"`
	Path          string              `json:"path"`
	Method        string              `json:"method"`
	URL           string              `json:"url"`
	Body          *string             `json:"body"`
	BodyJSON      json.RawMessage     `json:"bodyJson"`
	ResHeaders    map[string][]string `json:"resourceHeaders"`
	TimeoutMS     int64               `json:"timeoutMs"`
	// Signing is what a directSigned call signs its URL with (no plugin is involved).
	Signing *Signing `json:"signing"`
	// PauseMS waits before the call, to spread a script over time (e.g. across credential expiries).
	PauseMS int64 `json:"pauseMs"`
	// Async starts the call and goes on with the next one at once (calls in flight together, as Grafana
	// makes them); the script waits for every call before it ends.
	Async bool `json:"async"`
	// WaitAsync waits for every async call started before this one (e.g. to check the plugin after them).
	WaitAsync bool `json:"waitAsync"`
}

// Field is a decoded data.Field.
type Field struct {
	Name   string            `json:"name"`
	Type   string            `json:"type"` // time | number | string | boolean | other
	GoType string            `json:"goType"`
	Labels map[string]string `json:"labels,omitempty"`
	Config *data.FieldConfig `json:"config,omitempty"`
	Values []interface{}     `json:"values"`
	Nulls  int               `json:"nulls"`
	Length int               `json:"length"`
}

// Frame is a decoded data.Frame (time values as epoch milliseconds).
type Frame struct {
	Name   string          `json:"name"`
	RefID  string          `json:"refId"`
	Meta   *data.FrameMeta `json:"meta,omitempty"`
	Rows   int             `json:"rows"`
	Fields []Field         `json:"fields"`
	Bytes  int             `json:"bytes"`
}

// DataResponse is one refId's answer.
type DataResponse struct {
	Frames      []Frame `json:"frames"`
	Error       string  `json:"error,omitempty"`
	Status      int32   `json:"status"`
	ErrorSource string  `json:"errorSource,omitempty"`
	DecodeError string  `json:"decodeError,omitempty"`
}

// Result is the outcome of one call. GRPCError is set when the call itself failed.
type Result struct {
	Kind      string  `json:"kind"`
	GRPCError string  `json:"grpcError,omitempty"`
	GRPCCode  string  `json:"grpcCode,omitempty"`
	ElapsedMS float64 `json:"elapsedMs"`
	// StartedMS and EndedMS: when the call started and its answer arrived, ms since the script started.
	StartedMS float64 `json:"startedMs"`
	EndedMS   float64 `json:"endedMs"`
	// checkHealth
	Status      string          `json:"status,omitempty"`
	Message     string          `json:"message,omitempty"`
	JSONDetails json.RawMessage `json:"jsonDetails,omitempty"`
	// queryData
	Responses map[string]DataResponse `json:"responses,omitempty"`
	// callResource
	Code     int32               `json:"code,omitempty"`
	Headers  map[string][]string `json:"headers,omitempty"`
	Body     *string             `json:"body,omitempty"`
	BodyJSON json.RawMessage     `json:"json,omitempty"`
	Chunks   int                 `json:"chunks,omitempty"`
	// collectMetrics
	Prometheus string `json:"prometheus,omitempty"`
}

// PluginContext builds the PluginContext Grafana would send for this data source.
func PluginContext(ds *DataSource, grafanaConfig map[string]string) *pluginv2.PluginContext {
	pc := &pluginv2.PluginContext{
		OrgId:         1,
		PluginId:      PluginID,
		PluginVersion: "0.1.0",
		User:          &pluginv2.User{Login: "admin", Name: "Admin", Email: "admin@localhost", Role: "Admin"},
		GrafanaConfig: grafanaConfig,
		UserAgent:     "Grafana/13.2.2 (linux; amd64)",
	}
	if ds != nil {
		jsonData := []byte(ds.JSONData)
		if ds.RawJSONData != nil {
			jsonData = []byte(*ds.RawJSONData)
		} else if len(jsonData) == 0 {
			jsonData = []byte("{}")
		}
		pc.DataSourceInstanceSettings = &pluginv2.DataSourceInstanceSettings{
			Id:                      ds.ID,
			Uid:                     ds.UID,
			Name:                    ds.Name,
			Url:                     ds.URL,
			JsonData:                jsonData,
			DecryptedSecureJsonData: ds.SecureJSONData,
			LastUpdatedMS:           ds.LastUpdatedMS,
		}
	}
	return pc
}

// Run performs every call of the script on one plugin process, so instance caching is exercised.
// A script of directSigned calls only needs no plugin.
func Run(s Script, logOutput io.Writer) ([]Result, error) {
	h := &Host{}
	if s.Plugin != "" {
		started, err := Start(s.Plugin, Options{Env: s.Env, LogOutput: logOutput})
		if err != nil {
			return nil, err
		}
		h = started
		defer h.Stop()
	} else {
		for _, c := range s.Calls {
			if c.Kind != "directSigned" {
				return nil, errors.New(`script: "plugin" (path to the executable) is required`)
			}
		}
	}
	results := make([]Result, len(s.Calls))
	scriptStart := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var asyncErr error
	do := func(i int, c Call) error {
		started := float64(time.Since(scriptStart).Microseconds()) / 1000
		r, err := h.Do(c, s.ValuesLimit)
		r.StartedMS = started
		r.EndedMS = float64(time.Since(scriptStart).Microseconds()) / 1000
		results[i] = r
		if err != nil {
			return fmt.Errorf("call %d (%s): %w", i, c.Kind, err)
		}
		return nil
	}
	for i, c := range s.Calls {
		if c.WaitAsync {
			wg.Wait()
		}
		if c.PauseMS > 0 {
			time.Sleep(time.Duration(c.PauseMS) * time.Millisecond)
		}
		if c.Async {
			wg.Add(1)
			go func(i int, c Call) {
				defer wg.Done()
				if err := do(i, c); err != nil {
					mu.Lock()
					asyncErr = errors.Join(asyncErr, err)
					mu.Unlock()
				}
			}(i, c)
			continue
		}
		if err := do(i, c); err != nil {
			wg.Wait()
			return results[:i+1], err
		}
	}
	wg.Wait()
	return results, asyncErr
}

// Do performs one call. Protocol failures are reported in the Result; a bad call description is an error.
func (h *Host) Do(c Call, valuesLimit int) (Result, error) {
	timeout := 60 * time.Second
	if c.TimeoutMS > 0 {
		timeout = time.Duration(c.TimeoutMS) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	pc := PluginContext(c.DataSource, c.GrafanaConfig)
	r := Result{Kind: c.Kind}
	started := time.Now()
	var callErr error
	switch c.Kind {
	case "checkHealth":
		resp, err := h.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc, Headers: c.Headers})
		callErr = err
		if err == nil {
			r.Status = resp.Status.String()
			r.Message = resp.Message
			if len(resp.JsonDetails) > 0 {
				r.JSONDetails = json.RawMessage(resp.JsonDetails)
			}
		}
	case "queryData":
		req := &pluginv2.QueryDataRequest{PluginContext: pc, Headers: c.Headers}
		for _, q := range c.Queries {
			body := []byte(q.JSON)
			if q.RawJSON != nil {
				body = []byte(*q.RawJSON)
			}
			req.Queries = append(req.Queries, &pluginv2.DataQuery{
				RefId: q.RefID, QueryType: q.QueryType, Json: body,
				MaxDataPoints: q.MaxDataPoints, IntervalMS: q.IntervalMS,
				TimeRange: &pluginv2.TimeRange{FromEpochMS: q.From, ToEpochMS: q.To},
			})
		}
		resp, err := h.Data.QueryData(ctx, req)
		callErr = err
		if err == nil {
			r.Responses = map[string]DataResponse{}
			for refID, dr := range resp.Responses {
				r.Responses[refID] = DecodeDataResponse(dr, valuesLimit)
			}
		}
	case "callResource":
		method := c.Method
		if method == "" {
			method = "GET"
		}
		var body []byte
		if c.Body != nil {
			body = []byte(*c.Body)
		} else if len(c.BodyJSON) > 0 {
			body = []byte(c.BodyJSON)
		}
		headers := map[string]*pluginv2.StringList{}
		for k, v := range c.ResHeaders {
			headers[k] = &pluginv2.StringList{Values: v}
		}
		stream, err := h.Resource.CallResource(ctx, &pluginv2.CallResourceRequest{
			PluginContext: pc, Path: c.Path, Method: method, Url: c.URL, Headers: headers, Body: body,
		})
		callErr = err
		if err == nil {
			var all []byte
			for {
				chunk, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					callErr = err
					break
				}
				if r.Chunks == 0 {
					r.Code = chunk.Code
					r.Headers = map[string][]string{}
					for k, v := range chunk.Headers {
						r.Headers[k] = v.Values
					}
				}
				r.Chunks++
				all = append(all, chunk.Body...)
			}
			text := string(all)
			r.Body = &text
			if json.Valid(all) && len(all) > 0 {
				r.BodyJSON = json.RawMessage(all)
			}
		}
	case "collectMetrics":
		resp, err := h.Diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{PluginContext: pc})
		callErr = err
		if err == nil && resp.Metrics != nil {
			r.Prometheus = string(resp.Metrics.Prometheus)
		}
	case "directSigned":
		callErr = directSigned(ctx, c)
	default:
		return r, fmt.Errorf(`unknown call kind %q (use checkHealth, queryData, callResource, collectMetrics or directSigned)`, c.Kind)
	}
	r.ElapsedMS = float64(time.Since(started).Microseconds()) / 1000
	if callErr != nil {
		st, _ := status.FromError(callErr)
		r.GRPCError = callErr.Error()
		r.GRPCCode = st.Code().String()
	}
	return r, nil
}

// DecodeDataResponse decodes every frame with the SDK's data.UnmarshalArrowFrame.
func DecodeDataResponse(dr *pluginv2.DataResponse, valuesLimit int) DataResponse {
	out := DataResponse{Frames: []Frame{}, Error: dr.Error, Status: dr.Status, ErrorSource: dr.ErrorSource}
	for _, b := range dr.Frames {
		f, err := data.UnmarshalArrowFrame(b)
		if err != nil {
			out.DecodeError = err.Error()
			continue
		}
		out.Frames = append(out.Frames, FrameJSON(f, len(b), valuesLimit))
	}
	return out
}

// KindOf maps the SDK's field type to the frame model's type names.
func KindOf(t data.FieldType) string {
	switch {
	case t.Time():
		return "time"
	case t.Numeric():
		return "number"
	case t.NonNullableType() == data.FieldTypeString:
		return "string"
	case t.NonNullableType() == data.FieldTypeBool:
		return "boolean"
	default:
		return "other"
	}
}

// FrameJSON turns a decoded frame into plain JSON values.
func FrameJSON(f *data.Frame, encodedBytes int, valuesLimit int) Frame {
	rows, _ := f.RowLen()
	out := Frame{Name: f.Name, RefID: f.RefID, Meta: f.Meta, Rows: rows, Bytes: encodedBytes, Fields: []Field{}}
	for _, fld := range f.Fields {
		jf := Field{
			Name: fld.Name, Type: KindOf(fld.Type()), GoType: fld.Type().ItemTypeString(),
			Labels: map[string]string(fld.Labels), Config: fld.Config, Length: fld.Len(), Values: []interface{}{},
		}
		for i := 0; i < fld.Len(); i++ {
			v, ok := fld.ConcreteAt(i)
			if !ok {
				jf.Nulls++
			}
			if valuesLimit > 0 && i >= valuesLimit {
				continue
			}
			jf.Values = append(jf.Values, plainValue(v, ok))
		}
		out.Fields = append(out.Fields, jf)
	}
	return out
}

func plainValue(v interface{}, ok bool) interface{} {
	if !ok {
		return nil
	}
	switch x := v.(type) {
	case time.Time:
		return float64(x.UnixNano()) / 1e6
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
		return x
	default:
		return x
	}
}

// SortedRefIDs lists a response's refIds in order (for stable output).
func SortedRefIDs(m map[string]DataResponse) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
