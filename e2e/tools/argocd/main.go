// Command argocd-e2e runs the parts of Argo CD that the Argo CD end-to-end test needs, built from
// the github.com/argoproj/argo-cd/v3 module pinned in go.mod: the application controller, the repo
// server, and an in-memory Redis for their cache (miniredis, which Argo CD's own `--core` mode runs
// in-process too). Argo CD's cmd/main.go picks the command by binary name and links every
// component (API server, Dex, notifications, ...); importing only these two keeps the build
// smaller.
//
//	argocd-e2e application-controller [flags of argocd-application-controller]
//	argocd-e2e repo-server [flags of argocd-repo-server]
//	argocd-e2e redis ADDRESS
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/alicebob/miniredis/v2"
	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/util/log"
)

func main() {
	// As Argo CD's cmd/main.go does: klog (client-go) logs through Argo CD's logger and level.
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))

	if len(os.Args) < 2 {
		fail("usage: argocd-e2e application-controller|repo-server|redis ...")
	}
	var command *cobra.Command
	switch os.Args[1] {
	case "application-controller":
		command = appcontroller.NewCommand()
	case "repo-server":
		command = reposerver.NewCommand()
	case "redis":
		if len(os.Args) != 3 {
			fail("usage: argocd-e2e redis ADDRESS")
		}
		redis(os.Args[2])
		return
	default:
		fail("unknown command " + os.Args[1])
	}
	command.SetArgs(os.Args[2:])
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

// redis serves an in-memory Redis on address until SIGINT or SIGTERM.
func redis(address string) {
	server := miniredis.NewMiniRedis()
	if err := server.StartAddr(address); err != nil {
		fail("redis: " + err.Error())
	}
	fmt.Println("redis listening on", server.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	server.Close()
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "argocd-e2e:", message)
	os.Exit(2)
}
