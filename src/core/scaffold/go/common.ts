/** Files every Go scaffold shares: go.mod/go.sum pinned to nats.go, connection, shutdown. */
import { formatDuration } from '../../decide';
import type { ScaffoldFile, ScaffoldSpec } from '../spec';

export const GO_VERSIONS = { go: '1.25.0', natsGo: 'v1.51.0' } as const;

// go.sum of nats.go v1.51.0 and its dependencies, so `go build` works without `go mod tidy`
const GO_SUM = `github.com/klauspost/compress v1.18.5 h1:/h1gH5Ce+VWNLSWqPzOVn6XBO+vJbCNGvjoaGBFW2IE=
github.com/klauspost/compress v1.18.5/go.mod h1:cwPg85FWrGar70rWktvGQj8/hthj3wpl0PGDogxkrSQ=
github.com/nats-io/nats.go v1.51.0 h1:ByW84XTz6W03GSSsygsZcA+xgKK8vPGaa/FCAAEHnAI=
github.com/nats-io/nats.go v1.51.0/go.mod h1:26HypzazeOkyO3/mqd1zZd53STJN0EjCYF9Uy2ZOBno=
github.com/nats-io/nkeys v0.4.15 h1:JACV5jRVO9V856KOapQ7x+EY8Jo3qw1vJt/9Jpwzkk4=
github.com/nats-io/nkeys v0.4.15/go.mod h1:CpMchTXC9fxA5zrMo4KpySxNjiDVvr8ANOSZdiNfUrs=
github.com/nats-io/nuid v1.0.1 h1:5iA8DT8V7q8WK2EScv2padNa/rTESc1KdnPw4TC2paw=
github.com/nats-io/nuid v1.0.1/go.mod h1:19wcPz3Ph3q0Jbyiqsd0kePYG7A95tJPxeL+1OSON2c=
golang.org/x/crypto v0.49.0 h1:+Ng2ULVvLHnJ/ZFEq4KdcDd/cfjrrjjNSXNzxg0Y4U4=
golang.org/x/crypto v0.49.0/go.mod h1:ErX4dUh2UM+CFYiXZRTcMpEcN8b/1gxEuv3nODoYtCA=
golang.org/x/sys v0.42.0 h1:omrd2nAlyT5ESRdCLYdm3+fMfNFE/+Rf4bDIQImRJeo=
golang.org/x/sys v0.42.0/go.mod h1:4GL1E5IUh+htKOUEOaiffhrAeqysfVGipDYzABqnCmw=
`;

/** Go module path of a project: its name, which is already lowercase letters, digits and dashes. */
export const goModule = (spec: ScaffoldSpec): string => spec.project;

export function goProjectFiles(spec: ScaffoldSpec, connectionPackage: string): ScaffoldFile[] {
  return [
    {
      path: 'go.mod',
      content: `module ${goModule(spec)}

go ${GO_VERSIONS.go}

require github.com/nats-io/nats.go ${GO_VERSIONS.natsGo}

require (
	github.com/klauspost/compress v1.18.5 // indirect
	github.com/nats-io/nkeys v0.4.15 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	golang.org/x/crypto v0.49.0 // indirect
	golang.org/x/sys v0.42.0 // indirect
)
`,
    },
    { path: 'go.sum', content: GO_SUM },
    { path: '.gitignore', content: `/${spec.project}\n*.cursor\n` },
    { path: connectionPackage === 'main' ? 'connection.go' : `${connectionPackage}/connection.go`, content: connectionGo(connectionPackage) },
  ];
}

function connectionGo(pkg: string): string {
  const exported = pkg !== 'main';
  const connect = exported ? 'ConnectFromEnv' : 'connectFromEnv';
  const wait = exported ? 'WaitForSignal' : 'waitForSignal';
  const drain = exported ? 'DrainAndWait' : 'drainAndWait';
  return `package ${pkg}

import (
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/nats-io/nats.go"
)

// ${connect} connects the way natscli and the NATS Flow sandbox do: NATS_URL (comma-separated
// servers), plus NATS_CREDS, NATS_TOKEN or NATS_USER + NATS_PASSWORD when set.
func ${connect}(name string) (*nats.Conn, chan struct{}, error) {
	url := os.Getenv("NATS_URL")
	if url == "" {
		url = nats.DefaultURL
	}
	closed := make(chan struct{})
	opts := []nats.Option{
		nats.Name(name),
		// keep trying through server restarts: JetStream state lives on the server, not here
		nats.MaxReconnects(-1),
		nats.ClosedHandler(func(*nats.Conn) { close(closed) }),
	}
	if creds := os.Getenv("NATS_CREDS"); creds != "" {
		opts = append(opts, nats.UserCredentials(creds))
	} else if token := os.Getenv("NATS_TOKEN"); token != "" {
		opts = append(opts, nats.Token(token))
	} else if user := os.Getenv("NATS_USER"); user != "" {
		opts = append(opts, nats.UserInfo(user, os.Getenv("NATS_PASSWORD")))
	}
	nc, err := nats.Connect(strings.ReplaceAll(url, " ", ""), opts...)
	return nc, closed, err
}

// ${wait} blocks until SIGINT or SIGTERM.
func ${wait}() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	sig := <-ch
	log.Printf("%s: draining", sig)
}

// ${drain} drains the connection (pending acks and publishes reach the server) and waits
// until it is closed. Exiting without a drain leaves in-flight messages to be redelivered
// after AckWait.
func ${drain}(nc *nats.Conn, closed chan struct{}) {
	if err := nc.Drain(); err != nil {
		log.Printf("drain failed: %v", err)
		os.Exit(1)
	}
	<-closed
	log.Print("drained")
}
`;
}

/** A Go string literal. */
export const gq = (s: string): string => JSON.stringify(s);

/** Nanoseconds as a Go time.Duration expression. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0';
  if (ns % 1e9 === 0) return `${ns / 1e9} * time.Second`;
  return `${Math.round(ns / 1e6)} * time.Millisecond`;
}

export const goComment = (ns: number): string => formatDuration(ns);
