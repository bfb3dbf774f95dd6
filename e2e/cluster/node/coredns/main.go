// Command coredns is CoreDNS with only the plugins the real node's cluster DNS uses (the Corefile
// in ../../node.sh): a build of all of CoreDNS's plugins, cloud DNS providers' SDKs among them,
// takes minutes more on a cold machine.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/template"
)

// The order in which a server block's plugins see a query: CoreDNS's own (plugin.cfg).
func init() { dnsserver.Directives = []string{"bind", "errors", "template", "kubernetes"} }

func main() { coremain.Run() }
