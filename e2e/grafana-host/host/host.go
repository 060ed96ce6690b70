// Package host starts a plugin executable the way Grafana does (hashicorp/go-plugin's client with
// grafana-plugin-sdk-go's handshake values and gRPC plugin set) and gives typed access to its services.
package host

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// Handshake is Grafana's go-plugin handshake config (pkg/plugins/backendplugin/grpcplugin).
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// PluginSet is the versioned plugin set Grafana's client registers for external plugins
// (pkg/plugins/backendplugin/grpcplugin: the SDK's plugins; Grafana's internal renderer and secrets
// manager plugins are left out).
func PluginSet() map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
			"admission":   &grpcplugin.AdmissionGRPCPlugin{},
			"conversion":  &grpcplugin.ConversionGRPCPlugin{},
		},
	}
}

// Host is one running plugin process and its dispensed clients.
type Host struct {
	Client      *goplugin.Client
	Data        grpcplugin.DataClient
	Diagnostics grpcplugin.DiagnosticsClient
	Resource    grpcplugin.ResourceClient
	Logs        *LogBuffer
	Pid         int
}

// Options for Start.
type Options struct {
	// Env is added to the host's environment for the plugin process (Grafana passes its own variables).
	Env map[string]string
	// LogOutput also receives the host's and plugin's log lines (hclog JSON); nil for none.
	LogOutput io.Writer
}

// LogBuffer keeps every log line the go-plugin client wrote (its own and the plugin's re-logged stderr).
type LogBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// String returns everything logged so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// Start runs the executable and dispenses the data, diagnostics and resource clients.
func Start(executable string, opts Options) (*Host, error) {
	if _, err := os.Stat(executable); err != nil {
		return nil, fmt.Errorf("plugin executable: %w", err)
	}
	logs := &LogBuffer{}
	var out io.Writer = logs
	if opts.LogOutput != nil {
		out = io.MultiWriter(logs, opts.LogOutput)
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugin.sigil", Level: hclog.Trace, JSONFormat: true, Output: out})

	cmd := exec.Command(executable)
	env := os.Environ()
	keys := make([]string, 0, len(opts.Env))
	for k := range opts.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+opts.Env[k])
	}
	cmd.Env = env

	client := goplugin.NewClient(&goplugin.ClientConfig{
		Cmd:              cmd,
		HandshakeConfig:  Handshake,
		VersionedPlugins: PluginSet(),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           logger,
	})
	h := &Host{Client: client, Logs: logs}
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("starting plugin: %w", err)
	}
	if rc := client.ReattachConfig(); rc != nil {
		h.Pid = rc.Pid
	}
	dispense := func(name string) (interface{}, error) {
		raw, err := rpc.Dispense(name)
		if err != nil {
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		return raw, nil
	}
	var ok bool
	raw, err := dispense("data")
	if err == nil {
		if h.Data, ok = raw.(grpcplugin.DataClient); !ok {
			err = errors.New("data client has the wrong type")
		}
	}
	if err == nil {
		raw, err = dispense("diagnostics")
		if err == nil {
			if h.Diagnostics, ok = raw.(grpcplugin.DiagnosticsClient); !ok {
				err = errors.New("diagnostics client has the wrong type")
			}
		}
	}
	if err == nil {
		raw, err = dispense("resource")
		if err == nil {
			if h.Resource, ok = raw.(grpcplugin.ResourceClient); !ok {
				err = errors.New("resource client has the wrong type")
			}
		}
	}
	if err != nil {
		client.Kill()
		return nil, err
	}
	return h, nil
}

// Ping checks the plugin's grpc.health.v1 service ("plugin").
func (h *Host) Ping() error {
	rpc, err := h.Client.Client()
	if err != nil {
		return err
	}
	return rpc.Ping()
}

// Stop shuts the plugin down as Grafana does: controller Shutdown, then a kill after 2 s if it lingers.
func (h *Host) Stop() {
	h.Client.Kill()
}
