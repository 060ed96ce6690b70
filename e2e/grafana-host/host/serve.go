package host

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// ServeRequest is one line of the serve mode's input: a call tagged with an id the answer carries back.
type ServeRequest struct {
	ID   int64 `json:"id"`
	Call Call  `json:"call"`
}

// ServeLine is one line of the serve mode's output: an event (started, exited) or a call's result.
type ServeLine struct {
	Event  string  `json:"event,omitempty"`
	Pid    int     `json:"pid,omitempty"`
	ID     int64   `json:"id,omitempty"`
	Result *Result `json:"result,omitempty"`
	Error  string  `json:"error,omitempty"`
}

// Serve starts the plugin once, then runs every call read from in (one ServeRequest per line) concurrently,
// writing one ServeLine per result to out. It reports the plugin's pid, and an "exited" event if the plugin
// process dies, so a long attack suite shares one process and still sees a death. Ends at EOF of in.
func Serve(s Script, in io.Reader, out io.Writer, logOutput io.Writer) error {
	if s.Plugin == "" {
		return fmt.Errorf(`script: "plugin" (path to the executable) is required`)
	}
	h, err := Start(s.Plugin, Options{Env: s.Env, LogOutput: logOutput})
	if err != nil {
		return err
	}
	defer h.Stop()
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	write := func(l ServeLine) {
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(l)
	}
	write(ServeLine{Event: "started", Pid: h.Pid})
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if h.Client.Exited() {
					write(ServeLine{Event: "exited", Pid: h.Pid})
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var req ServeRequest
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			write(ServeLine{Error: "bad request line: " + err.Error()})
			continue
		}
		wg.Add(1)
		go func(req ServeRequest) {
			defer wg.Done()
			if req.Call.PauseMS > 0 {
				time.Sleep(time.Duration(req.Call.PauseMS) * time.Millisecond)
			}
			r, err := h.Do(req.Call, s.ValuesLimit)
			if err != nil {
				write(ServeLine{ID: req.ID, Error: err.Error()})
				return
			}
			write(ServeLine{ID: req.ID, Result: &r})
		}(req)
	}
	wg.Wait()
	return sc.Err()
}
