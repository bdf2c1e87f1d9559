/** Go work-queue worker and fan-out listener. */
import { deadLetterCopierName } from '../../design/plan';
import { advisorySubject, type ScaffoldFile, type ScaffoldSpec } from '../spec';
import { goComment, goDuration, goProjectFiles, goModule, gq } from './common';

const RETENTION: Record<string, string> = { workqueue: 'jetstream.WorkQueuePolicy', limits: 'jetstream.LimitsPolicy', interest: 'jetstream.InterestPolicy' };

function topologyGo(spec: ScaffoldSpec, dlq: boolean): string {
  const st = spec.stream;
  const c = spec.consumer;
  return `package main

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Settings from ${spec.source}. Edit here; ensureTopology only creates what is missing and
// never changes a live stream or consumer (use NATS Flow or natscli for that).
const (
	streamName = ${gq(st.name)}
	subject    = ${gq(spec.subject)}
	durable    = ${gq(c.durable_name)}
	filter     = ${gq(c.filter_subject)}
	// AckWait is how long the server waits for an ack before redelivering, per delivery. It
	// is a deadline, not a processing budget: long work sends in-progress acks (delivery.go).
	ackWait = ${goDuration(c.ack_wait)} // ${goComment(c.ack_wait)}
	// bounded redelivery (seed 001): after maxDeliver attempts the server gives up and
	// publishes a MAX_DELIVERIES advisory, which the dead-letter plan picks up
	maxDeliver    = ${c.max_deliver}
	maxAckPending = ${c.max_ack_pending}${dlq ? `
	dlqStream     = ${gq(spec.dlq.stream)}
	// the server publishes this when a message used up maxDeliver; JetStream has no native DLQ
	dlqAdvisory = ${gq(advisorySubject(spec))}
	// copies of dead messages land here, with headers naming where they came from
	dlqSubject = ${gq(spec.dlq.subject)}
	dlqCopier  = ${gq(deadLetterCopierName(c.durable_name))}
	// the copier's own limit, not the worker's: each worker copies one advisory at a time, so
	// this many workers can copy at once
	dlqCopierMaxAckPending = 10` : ''}
)

// wait before each redelivery; a bare Nak() would burn all attempts within milliseconds
var backoff = []time.Duration{${c.backoff.map(goDuration).join(', ')}}

func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) error {
	if _, err := js.Stream(ctx, cfg.Name); err == nil || !errors.Is(err, jetstream.ErrStreamNotFound) {
		return err
	}
	// file storage survives a server restart (seed 001); R3 in production, R1 for development
	cfg.Storage = jetstream.FileStorage
	cfg.Replicas = ${st.replicas}
	cfg.Discard = jetstream.DiscardOld
	// publishers set Nats-Msg-Id; retries inside this window are dropped as duplicates
	cfg.Duplicates = ${goDuration(st.duplicate_window)}
	if _, err := js.CreateStream(ctx, cfg); err != nil {
		return err
	}
	log.Printf("created stream %s", cfg.Name)
	return nil
}

func ensureConsumer(ctx context.Context, js jetstream.JetStream, stream string, cfg jetstream.ConsumerConfig) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return err
	}
	if _, err := s.Consumer(ctx, cfg.Durable); err == nil || !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return err
	}
	// explicit acks: a message counts as done only when the handler says so (seed 001)
	cfg.AckPolicy = jetstream.AckExplicitPolicy
	if len(cfg.BackOff) > 0 {
		// with a backoff list the server takes BackOff[0] as the first ack wait
		cfg.AckWait = cfg.BackOff[0]
	}
	if _, err := s.CreateConsumer(ctx, cfg); err != nil {
		return err
	}
	log.Printf("created consumer %s/%s", stream, cfg.Durable)
	return nil
}

// ensureTopology creates the stream${dlq ? ', the DLQ stream and both consumers' : ' and the durable consumer'} when missing.
func ensureTopology(ctx context.Context, js jetstream.JetStream, name string) error {
	if err := ensureStream(ctx, js, jetstream.StreamConfig{Name: streamName, Subjects: ${goStrings(st.subjects)}, Retention: ${RETENTION[st.retention]}, MaxAge: ${goDuration(st.max_age)}}); err != nil {
		return err
	}${dlq ? `
	// one stream holds both the advisories (durable, so none is lost while no worker runs) and the copies
	if err := ensureStream(ctx, js, jetstream.StreamConfig{Name: dlqStream, Subjects: []string{dlqAdvisory, dlqSubject}, Retention: jetstream.LimitsPolicy, MaxAge: 14 * 24 * time.Hour}); err != nil {
		return err
	}
	if err := ensureConsumer(ctx, js, dlqStream, jetstream.ConsumerConfig{Durable: dlqCopier, FilterSubject: dlqAdvisory, DeliverPolicy: jetstream.DeliverAllPolicy, AckWait: 5 * time.Second, MaxDeliver: 10, MaxAckPending: dlqCopierMaxAckPending}); err != nil {
		return err
	}` : ''}
	var bo []time.Duration
	if len(backoff) < maxDeliver {
		bo = backoff
	}
	return ensureConsumer(ctx, js, streamName, jetstream.ConsumerConfig{Durable: name, FilterSubject: filter, DeliverPolicy: ${c.deliver_policy === 'new' ? 'jetstream.DeliverNewPolicy' : 'jetstream.DeliverAllPolicy'}, AckWait: ackWait, MaxDeliver: maxDeliver, BackOff: bo, MaxAckPending: maxAckPending})
}
`;
}

export const goStrings = (xs: string[]): string => `[]string{${xs.map(gq).join(', ')}}`;

const DELIVERY_GO = `package main

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"MODULE/handler"
)

// ackWaitFor is the ack wait the server applies to this delivery: backoff[n-1] when set.
func ackWaitFor(delivery uint64) time.Duration {
	if len(backoff) == 0 {
		return ackWait
	}
	return backoff[min(int(delivery), len(backoff))-1]
}

// batch holds the messages of a pull that wait their turn.
type batch struct {
	mu   sync.Mutex
	msgs []jetstream.Msg
}

// take hands the next waiting message to the handler; nil when none is left.
func (b *batch) take() jetstream.Msg {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.msgs) == 0 {
		return nil
	}
	m := b.msgs[0]
	b.msgs = b.msgs[1:]
	return m
}

// keepAlive sends in-progress acks, every half of the shortest AckWait, to the messages still
// waiting: AckWait runs from delivery, so behind a slow handler they would be redelivered
// (wasted work, a delivery counted toward maxDeliver) without ever being handled. It returns
// the function that stops it.
func (b *batch) keepAlive() (stop func()) {
	every := ackWait
	for _, d := range backoff {
		every = min(every, d)
	}
	quit, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(max(100*time.Millisecond, every/2))
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				b.mu.Lock()
				for _, m := range b.msgs {
					_ = m.InProgress()
				}
				b.mu.Unlock()
			}
		}
	}()
	return func() {
		close(quit)
		<-exited
	}
}

// settle runs the handler for one message and settles it: ack on success, term for poison,
// nak with a delay otherwise. While the handler runs, in-progress acks keep the message ours.
func settle(ctx context.Context, msg jetstream.Msg, handle func(context.Context, handler.Delivery) error, onPoison func(jetstream.Msg, string)) string {
	md, err := msg.Metadata()
	if err != nil {
		log.Printf("not a JetStream message: %v", err)
		return "skipped"
	}
	d := handler.Delivery{Subject: msg.Subject(), Data: msg.Data(), StreamSeq: md.Sequence.Stream, Delivery: md.NumDelivered, Headers: msg.Headers()}
	// AckWait counts from delivery, whatever the handler is doing (a disconnect does not pause
	// it either): without these the server redelivers long work to another worker mid-flight
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(max(100*time.Millisecond, ackWaitFor(d.Delivery)/2))
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	err = handle(ctx, d)
	close(stop)
	if err == nil {
		// DoubleAck waits for the server to confirm: a lost ack would mean a redelivery of done work
		if err := msg.DoubleAck(ctx); err != nil {
			log.Printf("ack seq=%d failed: %v", d.StreamSeq, err)
		}
		return "acked"
	}
	if errors.Is(err, handler.ErrPoison) {
		if onPoison != nil {
			onPoison(msg, err.Error())
		}
		// term: never redeliver; retrying cannot fix a message the handler calls poison
		_ = msg.TermWithReason(err.Error())
		log.Printf("terminated seq=%d: %v", d.StreamSeq, err)
		return "terminated"
	}
	if d.Delivery >= maxDeliver {
		// the last attempt: the server now publishes the MAX_DELIVERIES advisory
		_ = msg.Nak()
		log.Printf("gave up seq=%d after %d deliveries: %v", d.StreamSeq, d.Delivery, err)
		return "gave-up"
	}
	// nak with a delay: a bare Nak() redelivers at once and burns every attempt in milliseconds
	delay := ackWaitFor(d.Delivery)
	_ = msg.NakWithDelay(delay)
	log.Printf("retry seq=%d delivery=%d in %s: %v", d.StreamSeq, d.Delivery, delay, err)
	return "retry"
}
`;

const DELIVERY_TYPES_GO = `package handler

import (
	"errors"

	"github.com/nats-io/nats.go"
)

// Delivery is what a handler sees: the message without the ack machinery.
type Delivery struct {
	Subject string
	Data    []byte
	// StreamSeq is a stable id for idempotent handling: a redelivery has the same one.
	StreamSeq uint64
	// Delivery is 1 on first delivery, 2 on the first redelivery, … up to maxDeliver.
	Delivery uint64
	Headers  nats.Header
}

// ErrPoison marks a message that can never succeed: wrap it (fmt.Errorf("…: %w", ErrPoison))
// and the message is terminated (and dead-lettered) instead of retried.
var ErrPoison = errors.New("poison message")
`;

const DLQ_GO = `package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

type maxDeliveriesAdvisory struct {
	Stream     string \`json:"stream"\`
	Consumer   string \`json:"consumer"\`
	StreamSeq  uint64 \`json:"stream_seq"\`
	Deliveries uint64 \`json:"deliveries"\`
}

// copyToDLQ publishes a copy of a dead message to the DLQ subject. Nats-Msg-Id makes a second copy a no-op.
func copyToDLQ(ctx context.Context, js jetstream.JetStream, seq uint64, subj string, data []byte, reason string) error {
	m := nats.NewMsg(dlqSubject)
	m.Data = data
	m.Header.Set("Dlq-Stream", streamName)
	m.Header.Set("Dlq-Stream-Seq", strconv.FormatUint(seq, 10))
	m.Header.Set("Dlq-Subject", subj)
	m.Header.Set("Dlq-Reason", reason)
	if _, err := js.PublishMsg(ctx, m, jetstream.WithMsgID(fmt.Sprintf("%s-%d", streamName, seq))); err != nil {
		return err
	}
	log.Printf("dead-lettered seq=%d: %s", seq, reason)
	return nil
}

// copyPoison copies a poison message before it is terminated (on a work queue it is then gone).
func copyPoison(ctx context.Context, js jetstream.JetStream) func(jetstream.Msg, string) {
	return func(msg jetstream.Msg, reason string) {
		md, _ := msg.Metadata()
		if err := copyToDLQ(ctx, js, md.Sequence.Stream, msg.Subject(), msg.Data(), "terminated: "+reason); err != nil {
			log.Printf("dlq copy failed: %v", err)
		}
	}
}

// runDLQCopier is the dead-letter plan: the DLQ stream captures MAX_DELIVERIES advisories;
// this reads them, fetches the original by sequence and copies it to the DLQ subject. Every
// worker runs one on the same durable consumer, so each advisory is handled once.
func runDLQCopier(ctx context.Context, js jetstream.JetStream, deleteOriginal bool) (jetstream.ConsumeContext, error) {
	cons, err := js.Consumer(ctx, dlqStream, dlqCopier)
	if err != nil {
		return nil, err
	}
	stream, err := js.Stream(ctx, streamName)
	if err != nil {
		return nil, err
	}
	// one advisory at a time: a buffered one's AckWait would run while the one before is copied
	return cons.Consume(func(m jetstream.Msg) {
		var adv maxDeliveriesAdvisory
		if err := json.Unmarshal(m.Data(), &adv); err != nil {
			_ = m.Term()
			return
		}
		original, err := stream.GetMsg(ctx, adv.StreamSeq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			log.Printf("dead letter seq=%d is no longer in %s", adv.StreamSeq, streamName)
			_ = m.Ack()
			return
		} else if err != nil {
			// a timeout or a disconnect: try again later, never ack a dead letter away uncopied
			log.Printf("dlq copier: %v", err)
			_ = m.NakWithDelay(5e9)
			return
		}
		if err := copyToDLQ(ctx, js, adv.StreamSeq, original.Subject, original.Data, fmt.Sprintf("max deliveries (%d)", adv.Deliveries)); err != nil {
			_ = m.NakWithDelay(5e9)
			return
		}
		// a work queue keeps an unacked message forever: remove it once it is safe in the DLQ
		if deleteOriginal {
			_ = stream.DeleteMsg(ctx, adv.StreamSeq)
		}
		_ = m.DoubleAck(ctx)
	}, jetstream.PullMaxMessages(1))
}
`;

function workerMain(spec: ScaffoldSpec): string {
  return `package main

import (
	"context"
	"errors"
	"log"
	"os"

	"github.com/nats-io/nats.go/jetstream"

	"${goModule(spec)}/handler"
)

// Work-queue worker: a durable pull consumer shared by every instance; each message goes to
// exactly one of them. Scale by starting more processes.
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
	ctx := context.Background()
	if err := ensureTopology(ctx, js, durable); err != nil {
		log.Fatal(err)
	}
	cons, err := js.Consumer(ctx, streamName, durable)
	if err != nil {
		log.Fatal(err)
	}
	// pull: the worker asks for messages at its own pace (backpressure, seed 001). One at a
	// time: a prefetched message's AckWait runs while it waits behind slow work in the buffer.
	// Raise it only for handlers much faster than AckWait.
	it, err := cons.Messages(jetstream.PullMaxMessages(1))
	if err != nil {
		log.Fatal(err)
	}
	copier, err := runDLQCopier(ctx, js, ${spec.stream.retention === 'workqueue'})
	if err != nil {
		log.Fatal(err)
	}
	onPoison := copyPoison(ctx, js)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			msg, err := it.Next()
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			} else if err != nil {
				log.Printf("next: %v", err)
				continue
			}
			settle(ctx, msg, handler.Handle, onPoison)
		}
	}()
	log.Printf("worker ready: %s/%s", streamName, durable)
	waitForSignal()
	// Stop pulling; the loop ends after the message in hand is settled
	it.Stop()
	<-done
	copier.Stop()
	drainAndWait(nc, closed)
}
`;
}

const WORKER_HANDLER_GO = `package handler

import (
	"context"
	"fmt"
	"log"
)

// Handle is your work, one message at a time. Return nil to ack. Wrap ErrPoison for a
// message that can never succeed (it goes to the DLQ at once); any other error is retried
// with backoff and dead-lettered after maxDeliver attempts.
// Make it idempotent: a message can arrive twice (a crash after the work, before the ack);
// d.StreamSeq or a business id in the payload tells you that you did it already.
func Handle(ctx context.Context, d Delivery) error {
	if len(d.Data) == 0 {
		return fmt.Errorf("empty payload: %w", ErrPoison)
	}
	log.Printf("handled %s seq=%d: %s", d.Subject, d.StreamSeq, d.Data)
	return nil
}
`;

function listenerMain(spec: ScaffoldSpec): string {
  return `package main

import (
	"context"
	"errors"
	"log"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"${goModule(spec)}/handler"
)

// Messages taken per pull: fewer round trips for fast handlers. The ones waiting their turn get
// in-progress acks (keepAlive), so a handler slower than ackWait / prefetch causes no
// redelivery; a smaller batch leaves more to the service's other instances.
const prefetch = 10

// Fan-out listener: one durable consumer PER SERVICE, so every service sees every message
// and resumes where it left off after a restart. Instances of one service share its consumer.
func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	service := os.Getenv("SERVICE_NAME")
	if service == "" {
		service = durable
	}
	nc, closed, err := connectFromEnv(${gq(spec.project)} + "-" + service)
	if err != nil {
		log.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if from, _ := strconv.ParseUint(os.Getenv("REPLAY_FROM"), 10, 64); from > 0 {
		replay(ctx, js, service, from)
		drainAndWait(nc, closed)
		return
	}
	if err := ensureTopology(ctx, js, service); err != nil {
		log.Fatal(err)
	}
	cons, err := js.Consumer(ctx, streamName, service)
	if err != nil {
		log.Fatal(err)
	}
	// Idempotent handling: a redelivery (an ack lost in a disconnect) carries the same stream
	// sequence; remember recent ones and ack repeats without running the handler twice.
	// The handler should still be idempotent across restarts (this memory is per process).
	seen := map[uint64]bool{}
	var order []uint64
	once := func(ctx context.Context, d handler.Delivery) error {
		if seen[d.StreamSeq] {
			log.Printf("duplicate seq=%d skipped", d.StreamSeq)
			return nil
		}
		if err := handler.Handle(ctx, d, service); err != nil {
			return err
		}
		seen[d.StreamSeq] = true
		order = append(order, d.StreamSeq)
		if len(order) > 10000 {
			delete(seen, order[0])
			order = order[1:]
		}
		return nil
	}
	var stopping atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for !stopping.Load() {
			msgs, err := takeBatch(cons)
			if errors.Is(err, nats.ErrTimeout) {
				continue
			} else if err != nil {
				log.Printf("pull failed: %v", err)
				time.Sleep(time.Second)
				continue
			}
			b := &batch{msgs: msgs}
			stopKeepAlive := b.keepAlive()
			for !stopping.Load() {
				m := b.take()
				if m == nil {
					break
				}
				settle(ctx, m, once, nil)
			}
			stopKeepAlive()
			// stopped mid-batch: hand the rest back now, not after AckWait
			for _, m := range b.msgs {
				_ = m.Nak()
			}
		}
	}()
	log.Printf("listener ready: %s/%s", streamName, service)
	waitForSignal()
	// the loop ends after the message in hand is settled
	stopping.Store(true)
	<-done
	drainAndWait(nc, closed)
}

// takeBatch waits up to 1 s for one message, then takes only what is already waiting (up to
// prefetch): a batch for a backlog, no added latency for a quiet stream.
func takeBatch(cons jetstream.Consumer) ([]jetstream.Msg, error) {
	first, err := cons.Next(jetstream.FetchMaxWait(time.Second))
	if err != nil {
		return nil, err
	}
	msgs := []jetstream.Msg{first}
	md, err := first.Metadata()
	if err != nil {
		return msgs, nil
	}
	// NumPending: how many more the consumer holds for this service right now
	if more := min(prefetch-1, int(md.NumPending)); more > 0 {
		rest, err := cons.FetchNoWait(more)
		if err != nil {
			return msgs, nil
		}
		for m := range rest.Messages() {
			msgs = append(msgs, m)
		}
	}
	return msgs, nil
}

// replay (REPLAY_FROM=<stream sequence>) reads from anywhere with an ordered consumer instead.
// It is ephemeral and unacknowledged (nothing to clean up, the service's durable is
// untouched), so use it to rebuild state or backfill, not for work that must be acknowledged.
func replay(ctx context.Context, js jetstream.JetStream, service string, from uint64) {
	cons, err := js.OrderedConsumer(ctx, streamName, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from})
	if err != nil {
		log.Fatal(err)
	}
	it, err := cons.Messages()
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			msg, err := it.Next()
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			} else if err != nil {
				log.Printf("next: %v", err)
				continue
			}
			md, _ := msg.Metadata()
			d := handler.Delivery{Subject: msg.Subject(), Data: msg.Data(), StreamSeq: md.Sequence.Stream, Delivery: md.NumDelivered, Headers: msg.Headers()}
			// no ack, no redelivery: a failure is logged and replay goes on
			if err := handler.Handle(ctx, d, service+" (replay)"); err != nil {
				log.Printf("replay seq=%d failed: %v", d.StreamSeq, err)
			}
		}
	}()
	log.Printf("replaying %s from seq %d", streamName, from)
	waitForSignal()
	it.Stop()
	<-done
	// the server would drop it after its inactivity threshold; leave nothing behind now
	if info := cons.CachedInfo(); info != nil {
		_ = js.DeleteConsumer(ctx, streamName, info.Name)
	}
}
`;
}

const LISTENER_HANDLER_GO = `package handler

import (
	"context"
	"log"
)

// Handle reacts to one event. Return nil to ack; an error retries with backoff (wrap
// ErrPoison to give up at once). Keep it fast and idempotent: every service gets its own
// copy and a message may come again after a lost ack.
func Handle(ctx context.Context, d Delivery, service string) error {
	log.Printf("%s got %s seq=%d: %s", service, d.Subject, d.StreamSeq, d.Data)
	return nil
}
`;

export function goConsumer(spec: ScaffoldSpec, worker: boolean): ScaffoldFile[] {
  const mod = goModule(spec);
  const files: ScaffoldFile[] = [
    ...goProjectFiles(spec, 'main'),
    { path: 'topology.go', content: topologyGo(spec, worker) },
    { path: 'delivery.go', content: DELIVERY_GO.replace('MODULE/handler', `${mod}/handler`) },
    { path: 'handler/delivery.go', content: DELIVERY_TYPES_GO },
    { path: 'main.go', content: worker ? workerMain(spec) : listenerMain(spec) },
    { path: 'handler/handler.go', content: worker ? WORKER_HANDLER_GO : LISTENER_HANDLER_GO },
  ];
  if (worker) files.push({ path: 'dlq.go', content: DLQ_GO });
  return files;
}
