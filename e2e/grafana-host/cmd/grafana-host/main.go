// Command grafana-host runs a plugin executable as Grafana does and performs the calls of a JSON script read
// from stdin, printing {"results": [...]} on stdout. Log lines (the host's and the plugin's) go to stderr.
// The script format is documented in ../../README.md.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/sigil/e2e/grafana-host/host"
)

func main() {
	var script host.Script
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&script); err != nil {
		fail(fmt.Errorf("reading the script from stdin: %w", err))
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
