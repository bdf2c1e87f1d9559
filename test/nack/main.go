// nack-check decodes NATS Flow's NACK export with NACK's own Go API types
// (github.com/nats-io/nack pkg/jetstream/apis/jetstream/v1beta2), strictly: an unknown
// field, a wrong type or a wrong apiVersion fails. Durations are parsed with
// time.ParseDuration, as NACK's controllers do. It prints one JSON line per resource with
// the decoded spec and the parsed durations in nanoseconds, for the test to compare.
//
// Usage: nack-check < resources.yaml
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	v1beta2 "github.com/nats-io/nack/pkg/jetstream/apis/jetstream/v1beta2"
	"sigs.k8s.io/yaml"
)

type result struct {
	Kind      string           `json:"kind"`
	Name      string           `json:"name"`
	Spec      any              `json:"spec"`
	Durations map[string]int64 `json:"durations"`
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "nack-check: "+format+"\n", a...)
	os.Exit(1)
}

func dur(out map[string]int64, field, v string) {
	if v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		fail("%s: %q is not a Go duration: %v", field, v, err)
	}
	out[field] = int64(d)
}

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("read: %v", err)
	}
	docs := regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1)
	want := v1beta2.SchemeGroupVersion.String()
	n := 0
	for _, doc := range docs {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		n++
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			fail("document %d: %v", n, err)
		}
		if meta.APIVersion != want {
			fail("document %d: apiVersion %q, want %q", n, meta.APIVersion, want)
		}
		r := result{Kind: meta.Kind, Durations: map[string]int64{}}
		switch meta.Kind {
		case "Stream":
			var o v1beta2.Stream
			if err := yaml.UnmarshalStrict([]byte(doc), &o); err != nil {
				fail("document %d (Stream): %v", n, err)
			}
			r.Name, r.Spec = o.Name, o.Spec
			dur(r.Durations, "maxAge", o.Spec.MaxAge)
			dur(r.Durations, "duplicateWindow", o.Spec.DuplicateWindow)
		case "Consumer":
			var o v1beta2.Consumer
			if err := yaml.UnmarshalStrict([]byte(doc), &o); err != nil {
				fail("document %d (Consumer): %v", n, err)
			}
			r.Name, r.Spec = o.Name, o.Spec
			dur(r.Durations, "ackWait", o.Spec.AckWait)
			dur(r.Durations, "inactiveThreshold", o.Spec.InactiveThreshold)
			for i, b := range o.Spec.BackOff {
				dur(r.Durations, fmt.Sprintf("backoff[%d]", i), b)
			}
		case "KeyValue":
			var o v1beta2.KeyValue
			if err := yaml.UnmarshalStrict([]byte(doc), &o); err != nil {
				fail("document %d (KeyValue): %v", n, err)
			}
			r.Name, r.Spec = o.Name, o.Spec
			dur(r.Durations, "ttl", o.Spec.TTL)
		case "ObjectStore":
			var o v1beta2.ObjectStore
			if err := yaml.UnmarshalStrict([]byte(doc), &o); err != nil {
				fail("document %d (ObjectStore): %v", n, err)
			}
			r.Name, r.Spec = o.Name, o.Spec
			dur(r.Durations, "ttl", o.Spec.TTL)
		default:
			fail("document %d: kind %q is not a NACK resource", n, meta.Kind)
		}
		line, _ := json.Marshal(r)
		fmt.Println(string(line))
	}
	if n == 0 {
		fail("no documents")
	}
}
