/** Go KV watcher, idempotent publisher and request/reply. */
import type { ScaffoldFile, ScaffoldSpec } from '../spec';
import { goComment, goDuration, goModule, goProjectFiles, gq } from './common';
import { goStrings } from './consumers';
import { endOfBootstrapCheck, indentLines, liveFlagDeclaration } from '../bootstrap';

function kvWatcherGo(spec: ScaffoldSpec): string {
  const b = spec.bucket;
  return `package main

import (
	"context"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"${goModule(spec)}/handler"
)

// Settings from ${spec.source}.
const (
	bucket = ${gq(b.bucket)}
	keys   = ${gq(spec.keyPattern)}
)

var opNames = map[jetstream.KeyValueOp]string{jetstream.KeyValuePut: "PUT", jetstream.KeyValueDelete: "DEL", jetstream.KeyValuePurge: "PURGE"}

// cursorFile holds the last revision handled (seed 004: "your subscriber owns the cursor").
func cursorFile() string {
	if f := os.Getenv("KV_CURSOR_FILE"); f != "" {
		return f
	}
	return "." + bucket + ".cursor"
}

// openBucket opens the bucket, creating it when missing.
func openBucket(ctx context.Context, js jetstream.JetStream) (jetstream.KeyValue, error) {
	kv, err := js.KeyValue(ctx, bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		// history keeps the KV "twofer" audit trail (seed 000); file storage survives restarts
		return js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: bucket, History: ${b.history}, TTL: ${goDuration(b.ttl)} /* ${goComment(b.ttl)}, 0 = never */, Storage: jetstream.FileStorage, Replicas: ${b.replicas}})
	}
	return kv, err
}

// watch tells bootstrap from live (seed 000): a KV watch first replays every current value,
// then sends a nil entry (also at once for an empty bucket), then live updates. Values seen
// before the cursor are state, not news; newer ones were changed while we were down.
func watch(ctx context.Context, kv jetstream.KeyValue, on handler.KvHandlers) error {
	// no cursor yet (first start): everything in the bucket is existing state
	cursor := uint64(math.MaxUint64)
	if b, err := os.ReadFile(cursorFile()); err == nil {
		cursor, _ = strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	}
	w, err := kv.Watch(ctx, keys)
	if err != nil {
		return err
	}
	defer w.Stop()
	state := map[string]handler.KvValue{}
	${liveFlagDeclaration('go')}
	last := uint64(0)
	for {
		var e jetstream.KeyValueEntry
		select {
		case <-ctx.Done():
			return nil
		case u, ok := <-w.Updates():
			if !ok {
				// the watcher stopped (connection closed): nothing more will come
				return nil
			}
			e = u
		}
${indentLines(endOfBootstrapCheck('go', 'e', ['on.Ready(len(state))']), '\t\t')}
		var current *handler.KvValue
		if e.Operation() == jetstream.KeyValuePut {
			current = &handler.KvValue{Value: e.Value(), Revision: e.Revision()}
		}
		previous, had := state[e.Key()]
		if current != nil {
			state[e.Key()] = *current
		} else {
			delete(state, e.Key())
		}
		if !live && e.Revision() <= cursor {
			// seen before this restart: state, not news
			if current != nil {
				on.Initial(e.Key(), *current)
			}
		} else {
			whileDown := !live
			// a delete we never saw the value of is noise during bootstrap
			if !(whileDown && current == nil && !had) {
				t := handler.KvTransition{Key: e.Key(), Op: opNames[e.Operation()], Current: current, Revision: e.Revision(), WhileDown: whileDown}
				if had && !whileDown {
					t.Previous = &previous
				}
				on.Change(t)
			}
		}
		if e.Revision() > last {
			last = e.Revision()
			_ = os.WriteFile(cursorFile(), []byte(strconv.FormatUint(last, 10)), 0o644)
		}
	}
}

// updateWithRetry is compare-and-set: read, compute the new value, write only if nobody wrote
// in between (the expected revision), else read again and retry. Create refuses an existing
// key and Update a moved revision, both with "wrong last sequence".
func updateWithRetry(ctx context.Context, kv jetstream.KeyValue, key string, change func(current []byte) []byte) (uint64, error) {
	for attempt := 1; ; attempt++ {
		entry, err := kv.Get(ctx, key)
		if err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
			return 0, err
		}
		var rev uint64
		if entry != nil {
			next := change(entry.Value())
			rev, err = kv.Update(ctx, key, next, entry.Revision())
		} else {
			rev, err = kv.Create(ctx, key, change(nil))
		}
		if err == nil {
			return rev, nil
		}
		var apiErr *jetstream.APIError
		conflict := errors.Is(err, jetstream.ErrKeyExists) || (errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence)
		if !conflict || attempt >= 20 {
			return 0, err
		}
	}
}
`;
}

function kvMainGo(spec: ScaffoldSpec): string {
  return `package main

import (
	"context"
	"log"
	"os"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"

	"${goModule(spec)}/handler"
)

func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	nc, closed, err := connectFromEnv(${gq(spec.project)})
	if err != nil {
		log.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	kv, err := openBucket(ctx, js)
	if err != nil {
		log.Fatal(err)
	}
	if len(os.Args) == 3 && os.Args[1] == "incr" {
		// \`incr KEY\`: a counter bumped with compare-and-set, safe with many writers
		rev, err := updateWithRetry(ctx, kv, os.Args[2], func(cur []byte) []byte {
			n, _ := strconv.Atoi(string(cur))
			return []byte(strconv.Itoa(n + 1))
		})
		if err != nil {
			log.Fatal(err)
		}
		log.Printf("updated %s revision=%d", os.Args[2], rev)
		drainAndWait(nc, closed)
		return
	}
	done := make(chan error, 1)
	go func() { done <- watch(ctx, kv, handler.Handlers{}) }()
	log.Printf("watching %s %s", bucket, keys)
	waitForSignal()
	cancel()
	if err := <-done; err != nil {
		log.Printf("watch: %v", err)
	}
	drainAndWait(nc, closed)
}
`;
}

const KV_TYPES_GO = `package handler

// KvValue is one key's state: a value with its revision.
type KvValue struct {
	Value    []byte
	Revision uint64
}

// KvTransition is what the key was → what it is, with both revisions (seed 004).
type KvTransition struct {
	Key string
	Op  string
	// Current is nil when the key was deleted.
	Current *KvValue
	// Previous is nil for a new key, or for a change made while this watcher was down.
	Previous *KvValue
	Revision uint64
	// WhileDown is true for changes made after our cursor but before this start.
	WhileDown bool
}

// KvHandlers are the watcher's callbacks.
type KvHandlers interface {
	// Initial is a value that existed when the watcher started: rebuild state, it is not news.
	Initial(key string, v KvValue)
	// Ready is called once bootstrap is done (also for an empty bucket): from here on all is live.
	Ready(keys int)
	Change(t KvTransition)
}
`;

const KV_HANDLER_GO = `package handler

import (
	"fmt"
	"log"
	"strings"
)

// Handlers are your reactions. Keep them fast and idempotent: every watcher sees every change.
type Handlers struct{}

func (Handlers) Initial(key string, v KvValue) {
	log.Printf("initial %s=%s rev=%d", key, v.Value, v.Revision)
}

func (Handlers) Ready(keys int) {
	log.Printf("live after bootstrap of %d keys", keys)
}

func (Handlers) Change(t KvTransition) {
	from, to := "(none)", "("+strings.ToLower(t.Op)+")"
	if t.Previous != nil {
		from = fmt.Sprintf("%s@%d", t.Previous.Value, t.Previous.Revision)
	}
	if t.Current != nil {
		to = fmt.Sprintf("%s@%d", t.Current.Value, t.Current.Revision)
	}
	suffix := ""
	if t.WhileDown {
		suffix = " while down"
	}
	log.Printf("change %s %s -> %s%s", t.Key, from, to, suffix)
}
`;

function publisherGo(spec: ScaffoldSpec): string {
  const st = spec.stream;
  return `package main

import (
	"context"
	"errors"
	"log"
	"os"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"${goModule(spec)}/handler"
)

// Settings from ${spec.source}.
const (
	streamName = ${gq(st.name)}
	subject    = ${gq(spec.subject)}
)

// ensureStream creates the stream when missing; it never changes a live one.
func ensureStream(ctx context.Context, js jetstream.JetStream) error {
	if _, err := js.Stream(ctx, streamName); err == nil || !errors.Is(err, jetstream.ErrStreamNotFound) {
		return err
	}
	_, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: streamName, Subjects: ${goStrings(st.subjects)}, Retention: ${st.retention === 'workqueue' ? 'jetstream.WorkQueuePolicy' : st.retention === 'interest' ? 'jetstream.InterestPolicy' : 'jetstream.LimitsPolicy'},
		// file storage survives a server restart (seed 001); R3 in production, R1 for development
		Storage: jetstream.FileStorage, Replicas: ${st.replicas}, MaxAge: ${goDuration(st.max_age)},
		// Nats-Msg-Id dedupe lasts this long: retries within it are dropped
		Duplicates: ${goDuration(st.duplicate_window)}, // ${goComment(st.duplicate_window)}
	})
	return err
}

// publishOnce publishes with a Nats-Msg-Id and waits for the stream's ack. Retrying with the
// SAME id is safe: if the first attempt did land, the stream drops the retry and says
// duplicate. The id must come from the business event, never be random per attempt.
func publishOnce(ctx context.Context, js jetstream.JetStream, subj string, data []byte, msgID string) (*jetstream.PubAck, error) {
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ack, err := js.Publish(actx, subj, data, jetstream.WithMsgID(msgID))
		cancel()
		if err == nil {
			return ack, nil
		}
		// an API error (no stream for the subject, limits) will not fix itself
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) || attempt >= 5 {
			return nil, err
		}
		// a timeout or a lost connection: it may or may not have landed, retry the same id
		time.Sleep(time.Duration(250<<attempt) * time.Millisecond)
	}
}

// main: \`ID [DATA]\` publishes one event whose Nats-Msg-Id is ID.
func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	if len(os.Args) < 2 {
		log.Print("usage: publisher ID [DATA]")
		os.Exit(2)
	}
	payload := ""
	if len(os.Args) > 2 {
		payload = os.Args[2]
	}
	nc, closed, err := connectFromEnv(${gq(spec.project)})
	if err != nil {
		log.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if err := ensureStream(ctx, js); err != nil {
		log.Fatal(err)
	}
	ev := handler.BuildEvent(os.Args[1], payload)
	subj := ev.Subject
	if subj == "" {
		subj = subject
	}
	ack, err := publishOnce(ctx, js, subj, ev.Data, ev.MsgID)
	if err != nil {
		log.Fatal(err)
	}
	if ack.Duplicate {
		log.Printf("duplicate of seq=%d (id %s)", ack.Sequence, ev.MsgID)
	} else {
		log.Printf("published seq=%d (id %s)", ack.Sequence, ev.MsgID)
	}
	drainAndWait(nc, closed)
}
`;
}

const PUBLISHER_HANDLER_GO = `package handler

// Event is what you publish: the payload, and a Nats-Msg-Id derived from what makes it unique.
type Event struct {
	Subject string // empty: the default subject
	Data    []byte
	MsgID   string
}

// BuildEvent turns your input into an event.
func BuildEvent(id, payload string) Event {
	return Event{Data: []byte(payload), MsgID: id}
}
`;

function responderGo(spec: ScaffoldSpec): string {
  return `package main

import (
	"log"
	"os"

	"github.com/nats-io/nats.go"

	"${goModule(spec)}/conn"
	"${goModule(spec)}/handler"
)

const (
	subject = ${gq(spec.subject)}
	// a queue group: run several responders and each request goes to one of them
	queue = ${gq(spec.queue)}
)

func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	nc, closed, err := conn.ConnectFromEnv(${gq(spec.project + '-responder')})
	if err != nil {
		log.Fatal(err)
	}
	_, err = nc.QueueSubscribe(subject, queue, func(m *nats.Msg) {
		reply, err := handler.Respond(m.Data, m.Subject)
		if err != nil {
			// answer with an error instead of silence, so the requester does not wait for its timeout
			r := nats.NewMsg(m.Reply)
			r.Header.Set("Nats-Service-Error", err.Error())
			r.Header.Set("Nats-Service-Error-Code", "500")
			_ = m.RespondMsg(r)
			return
		}
		_ = m.Respond(reply)
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("responding on %s (queue %s)", subject, queue)
	conn.WaitForSignal()
	// drain (not close): requests already received still get their replies
	conn.DrainAndWait(nc, closed)
}
`;
}

function requesterGo(spec: ScaffoldSpec): string {
  return `package main

import (
	"log"
	"os"
	"time"

	"${goModule(spec)}/conn"
)

const subject = ${gq(spec.subject)}

func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	nc, closed, err := conn.ConnectFromEnv(${gq(spec.project + '-requester')})
	if err != nil {
		log.Fatal(err)
	}
	data := ""
	if len(os.Args) > 1 {
		data = os.Args[1]
	}
	// core request/reply: no responder gives an immediate "no responders" error, a slow one a timeout
	reply, err := nc.Request(subject, []byte(data), 5*time.Second)
	code := 0
	if err != nil {
		log.Printf("request failed: %v", err)
		code = 1
	} else if e := reply.Header.Get("Nats-Service-Error"); e != "" {
		log.Printf("error reply: %s", e)
		code = 1
	} else {
		log.Printf("reply: %s", reply.Data)
	}
	conn.DrainAndWait(nc, closed)
	os.Exit(code)
}
`;
}

const RESPONDER_HANDLER_GO = `package handler

// Respond answers one request. Return an error to send an error reply (Nats-Service-Error header).
func Respond(data []byte, subject string) ([]byte, error) {
	return []byte("ok: " + string(data) + " (" + subject + ")"), nil
}
`;

export function goKvWatcher(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...goProjectFiles(spec, 'main'),
    { path: 'kvwatcher.go', content: kvWatcherGo(spec) },
    { path: 'main.go', content: kvMainGo(spec) },
    { path: 'handler/kv.go', content: KV_TYPES_GO },
    { path: 'handler/handler.go', content: KV_HANDLER_GO },
  ];
}

export function goPublisher(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...goProjectFiles(spec, 'main'),
    { path: 'main.go', content: publisherGo(spec) },
    { path: 'handler/handler.go', content: PUBLISHER_HANDLER_GO },
  ];
}

export function goResponder(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...goProjectFiles(spec, 'conn'),
    { path: 'cmd/responder/main.go', content: responderGo(spec) },
    { path: 'cmd/requester/main.go', content: requesterGo(spec) },
    { path: 'handler/handler.go', content: RESPONDER_HANDLER_GO },
  ];
}
