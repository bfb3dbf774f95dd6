// Command kstatus prints how kstatus (sigs.k8s.io/cli-utils/pkg/kstatus/status, the library Flux,
// kpt, Config Sync and cli-utils' apply use to wait for resources) reads Kubernetes objects.
//
// Input: the files named as arguments, else stdin, each one object or a List in JSON, as
// `kubectl get -o json` prints them. Output: one
// JSON line per object, {"kind", "name", "status", "message"}, status being kstatus' verdict
// (InProgress, Current, Failed, Terminating, ...). The e2e tests feed it TcpServices read from the
// cluster; the tool reads no cluster itself, so it needs no client-go.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	if err := readAll(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kstatus:", err)
		os.Exit(1)
	}
}

func readAll(files []string, out io.Writer) error {
	if len(files) == 0 {
		return run(os.Stdin, out)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = run(f, out)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func run(in io.Reader, out io.Writer) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var u unstructured.Unstructured
	if err := u.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("stdin is not a Kubernetes object in JSON: %w", err)
	}
	enc := json.NewEncoder(out)
	if !u.IsList() {
		return print(enc, &u)
	}
	return u.EachListItem(func(o runtime.Object) error {
		return print(enc, o.(*unstructured.Unstructured))
	})
}

func print(enc *json.Encoder, u *unstructured.Unstructured) error {
	res, err := status.Compute(u)
	if err != nil {
		return fmt.Errorf("%s %s: %w", u.GetKind(), u.GetName(), err)
	}
	return enc.Encode(verdict{Kind: u.GetKind(), Name: u.GetName(), Status: res.Status.String(), Message: res.Message})
}
