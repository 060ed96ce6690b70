// Command grafana-host runs a plugin executable as Grafana does and performs the calls of a JSON script read
// from stdin, printing {"results": [...]} on stdout. Log lines (the host's and the plugin's) go to stderr.
// The script format is documented in ../../README.md.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/sigil/e2e/grafana-host/host"
)

func main() {
	var script host.Script
	serve := len(os.Args) > 1 && os.Args[1] == "-serve"
	var dec *json.Decoder
	if serve {
		// Serve mode: the first line is the script (plugin, env, valuesLimit), then one call per line.
		line, err := readLine(os.Stdin)
		if err != nil {
			fail(fmt.Errorf("reading the script line from stdin: %w", err))
		}
		dec = json.NewDecoder(strings.NewReader(line))
	} else {
		dec = json.NewDecoder(os.Stdin)
	}
	dec.DisallowUnknownFields()
	if err := dec.Decode(&script); err != nil {
		fail(fmt.Errorf("reading the script from stdin: %w", err))
	}
	if serve {
		if err := host.Serve(script, os.Stdin, os.Stdout, os.Stderr); err != nil {
			fail(err)
		}
		return
	}
	results, err := host.Run(script, os.Stderr)
	if err != nil {
		enc := json.NewEncoder(os.Stdout)
		_ = enc.Encode(map[string]interface{}{"results": results, "error": err.Error()})
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"results": results}); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "grafana-host: %v\n", err)
	os.Exit(2)
}

// readLine reads one line byte by byte, so nothing after it is buffered away from the serve loop.
func readLine(f *os.File) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for {
		n, err := f.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				return string(b), nil
			}
			b = append(b, one[0])
		}
		if err != nil {
			return string(b), err
		}
	}
}
