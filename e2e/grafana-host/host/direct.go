package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Signing is what a directSigned call signs with.
type Signing struct {
	AccessKey string `json:"accessKey"`
	SecretKey string `json:"secretKey"`
	Region    string `json:"region"`
	Service   string `json:"service"`
}

// emptyPayloadHash is the SHA-256 of an empty body, which a GET signs.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// directClient sends directSigned requests: one kept-alive connection, as a data source's requests reuse theirs.
var directClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}

// directSigned sends the call's URL as a GET signed with SigV4 from this process (Grafana's, in a real
// deployment) and reads its JSON answer, without any plugin: the floor a query's overhead through the plugin
// is measured against (scripts/bench-overhead.ts).
func directSigned(ctx context.Context, c Call) error {
	if c.Signing == nil || c.URL == "" {
		return errors.New(`directSigned needs "url" and "signing" (accessKey, secretKey, region, service)`)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return err
	}
	creds := aws.Credentials{AccessKeyID: c.Signing.AccessKey, SecretAccessKey: c.Signing.SecretKey}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyPayloadHash, c.Signing.Service, c.Signing.Region, time.Now()); err != nil {
		return err
	}
	resp, err := directClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, body)
	}
	var answer interface{}
	return json.Unmarshal(body, &answer)
}
