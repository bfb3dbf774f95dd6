// Command etcd is etcd's own entry point (go.etcd.io/etcd/server/v3/etcdmain),
// pinned by this module's go.mod and built by ../build.sh.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
