// Command ocibuild writes an OCI image archive (a tar of an OCI image layout) without a Docker
// engine or a registry, for `make images` (../build.sh). The image is defined by a JSON spec: its
// config (entrypoint, environment, user, working directory, ports, labels) and the files of its
// application layer. Base layers come from the command line, each a directory placed under a
// path. Every layer is written with fixed timestamps and owners and in sorted order, so the same
// inputs give the same digest.
//
//	ocibuild -spec image.json -dir MODULE_DIR -name REF -out IMAGE.tar \
//	    [-layer DIR:/dest]... [-annotation KEY=VALUE]...
package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// spec is an image's one definition (server/src/main/image/image.json and the operator's).
type spec struct {
	Entrypoint   []string          `json:"entrypoint"`
	Env          []string          `json:"env"`
	User         string            `json:"user"`
	WorkingDir   string            `json:"workingDir"`
	ExposedPorts []string          `json:"exposedPorts"`
	Labels       map[string]string `json:"labels"`
	Files        []file            `json:"files"`
}

// file copies From (relative to the module directory; a directory is copied whole) to To, or
// makes To an empty directory when From is empty. Mode applies to regular files; directories keep
// theirs.
type file struct {
	From string `json:"from"`
	To   string `json:"to"`
	Mode string `json:"mode"`
}

// epoch is the time of every file and of the image: SOURCE_DATE_EPOCH when set, else 0.
var epoch = time.Unix(0, 0).UTC()

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var specPath, dir, name, out string
	var layers, annotations multi
	flag.StringVar(&specPath, "spec", "", "the image's JSON spec")
	flag.StringVar(&dir, "dir", ".", "directory the spec's files are relative to")
	flag.StringVar(&name, "name", "", "image reference, e.g. ghcr.io/tcpfleet/tcpfleet-server:0.1.0")
	flag.StringVar(&out, "out", "", "OCI archive to write")
	flag.Var(&layers, "layer", "base layer DIR:/dest (repeatable, bottom first)")
	flag.Var(&annotations, "annotation", "KEY=VALUE on the manifest (repeatable)")
	flag.Parse()
	if specPath == "" || name == "" || out == "" || flag.NArg() > 0 {
		fail("usage: ocibuild -spec FILE -name REF -out FILE [-dir DIR] [-layer L]... [-annotation K=V]...")
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		check(err, "SOURCE_DATE_EPOCH")
		epoch = time.Unix(sec, 0).UTC()
	}
	var sp spec
	raw, err := os.ReadFile(specPath)
	check(err, "reading the spec")
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	check(dec.Decode(&sp), specPath)

	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for _, l := range layers {
		src, dest, ok := strings.Cut(l, ":")
		if !ok {
			fail("-layer wants DIR:/dest, got %q", l)
		}
		var w layerWriter
		w.addTree(src, dest, "")
		img = appendLayer(img, w.close(), "base "+filepath.Base(src))
	}
	img = appendLayer(img, appLayer(sp, dir), "application files of "+filepath.Base(specPath))

	cfg, err := img.ConfigFile()
	check(err, "config")
	cfg = cfg.DeepCopy()
	cfg.Architecture, cfg.OS = "amd64", "linux"
	cfg.Created = v1.Time{Time: epoch}
	cfg.Config.Entrypoint = sp.Entrypoint
	cfg.Config.Env = sp.Env
	cfg.Config.User = sp.User
	cfg.Config.WorkingDir = sp.WorkingDir
	cfg.Config.Labels = sp.Labels
	if len(sp.ExposedPorts) > 0 {
		cfg.Config.ExposedPorts = map[string]struct{}{}
		for _, p := range sp.ExposedPorts {
			cfg.Config.ExposedPorts[p] = struct{}{}
		}
	}
	img, err = mutate.ConfigFile(img, cfg)
	check(err, "config")

	ann := map[string]string{}
	for _, a := range annotations {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			fail("-annotation wants KEY=VALUE, got %q", a)
		}
		ann[k] = v
	}
	img = mutate.Annotations(img, ann).(v1.Image)
	writeArchive(img, name, out)
}

func appendLayer(img v1.Image, content []byte, what string) v1.Image {
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(content)), nil
	}, tarball.WithMediaType(types.OCILayer))
	check(err, what)
	img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{
		Created: v1.Time{Time: epoch}, CreatedBy: "ocibuild: " + what}})
	check(err, what)
	return img
}

func appLayer(sp spec, dir string) []byte {
	var w layerWriter
	for _, f := range sp.Files {
		if f.From == "" {
			w.add(&tar.Header{Typeflag: tar.TypeDir, Name: f.To, Mode: 0o755}, "")
			continue
		}
		w.addTree(filepath.Join(dir, f.From), f.To, f.Mode)
	}
	return w.close()
}

// layerWriter writes a layer tar: parents before children, each path once, root-owned, at epoch.
type layerWriter struct {
	buf     bytes.Buffer
	written map[string]bool
	entries []entry
}

type entry struct {
	hdr  *tar.Header
	data string // source file of a regular file
}

func (w *layerWriter) add(hdr *tar.Header, data string) {
	if w.written == nil {
		w.written = map[string]bool{}
	}
	name := strings.TrimPrefix(path.Clean("/"+hdr.Name), "/")
	if name == "" || w.written[name] {
		return
	}
	for parent := path.Dir(name); parent != "."; parent = path.Dir(parent) {
		if !w.written[parent] {
			w.add(&tar.Header{Typeflag: tar.TypeDir, Name: parent, Mode: 0o755}, "")
		}
	}
	w.written[name] = true
	hdr.Name = name
	if hdr.Typeflag == tar.TypeDir {
		hdr.Name += "/"
	}
	hdr.ModTime, hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname, hdr.Format = epoch, 0, 0, "", "", tar.FormatPAX
	w.entries = append(w.entries, entry{hdr, data})
}

// addTree adds src (a file or a directory, walked in lexical order) as dest. mode ("0555"), when
// given, sets the mode of regular files; otherwise their permission bits are kept.
func (w *layerWriter) addTree(src, dest, mode string) {
	var fixed int64 = -1
	if mode != "" {
		m, err := strconv.ParseInt(mode, 8, 32)
		check(err, "mode of "+src)
		fixed = m
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		name := path.Join(dest, filepath.ToSlash(rel))
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case info.IsDir():
			w.add(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: tarMode(info.Mode())}, "")
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			w.add(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777}, "")
		case info.Mode().IsRegular():
			m := tarMode(info.Mode())
			if fixed >= 0 {
				m = fixed
			}
			w.add(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: m, Size: info.Size()}, p)
		default:
			return fmt.Errorf("%s: not a file, directory or symlink", p)
		}
		return nil
	})
	check(err, "adding "+src)
}

// tarMode is a file's permission bits with its setuid, setgid and sticky bits (/tmp is 1777).
func tarMode(m fs.FileMode) int64 {
	mode := int64(m.Perm())
	for bit, flag := range map[fs.FileMode]int64{fs.ModeSetuid: 0o4000, fs.ModeSetgid: 0o2000, fs.ModeSticky: 0o1000} {
		if m&bit != 0 {
			mode |= flag
		}
	}
	return mode
}

func (w *layerWriter) close() []byte {
	tw := tar.NewWriter(&w.buf)
	for _, e := range w.entries {
		check(tw.WriteHeader(e.hdr), e.hdr.Name)
		if e.data != "" {
			f, err := os.Open(e.data)
			check(err, e.data)
			_, err = io.Copy(tw, f)
			f.Close()
			check(err, e.data)
		}
	}
	check(tw.Close(), "layer")
	return w.buf.Bytes()
}

// writeArchive writes the image as an OCI image layout inside a tar, named by ref for
// `ctr images import` (containerd reads io.containerd.image.name, other tools ref.name).
func writeArchive(img v1.Image, ref, out string) {
	tmp, err := os.MkdirTemp("", "ocibuild-")
	check(err, "temporary directory")
	defer os.RemoveAll(tmp)
	p, err := layout.Write(tmp, empty.Index)
	check(err, "OCI layout")
	check(p.AppendImage(img, layout.WithAnnotations(map[string]string{
		"io.containerd.image.name":          ref,
		"org.opencontainers.image.ref.name": ref[strings.LastIndex(ref, ":")+1:],
	})), "OCI layout")

	var files []string
	check(filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	}), "OCI layout")
	sort.Strings(files)
	var w layerWriter
	for _, f := range files {
		rel, _ := filepath.Rel(tmp, f)
		w.addTree(f, rel, "0644")
	}
	check(os.WriteFile(out, w.close(), 0o644), out)
	digest, err := img.Digest()
	check(err, "digest")
	fmt.Printf("%s %s %s\n", out, ref, digest)
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ocibuild: "+format+"\n", args...)
	os.Exit(2)
}
