// Command argocd-health runs Argo CD resource health checks (health.lua) the way Argo CD runs
// them: gopher-lua, the same libraries, the same conversion of the object into Lua and of the
// returned table into a health status (argo-cd util/lua/lua.go, runLua and ExecuteHealthLua).
//
//	argocd-health test <resource_customizations>
//	    every <group>/<Kind>/health.lua against the cases of its health_test.yaml, as Argo CD's
//	    TestLuaHealthScript (util/lua/health_test.go) does; exit 1 on any mismatch
//	argocd-health eval <health.lua> <object.json|yaml>
//	    prints the status and the message of one object, each on a line
//
// Each script runs twice, once per way Argo CD can run it: as a built-in check (Argo CD opens
// the standard libraries for those) and as an argocd-cm customization (only package, base, table
// and a safe os, unless resource.customizations.useOpenLibs is set). Both must agree, so one
// script serves a built-in check upstream and the argocd-cm patch older Argo CDs need.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"time"

	lua "github.com/yuin/gopher-lua"
	luajson "layeh.com/gopher-json"
	"sigs.k8s.io/yaml"
)

// Health is Argo CD's health.HealthStatus as health_test.yaml spells it.
type Health struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

type testFile struct {
	Tests []struct {
		InputPath    string `json:"inputPath"`
		HealthStatus Health `json:"healthStatus"`
	} `json:"tests"`
}

// mode is one way Argo CD runs a script.
type mode struct {
	name     string
	openLibs bool
}

var modes = []mode{{"built-in", true}, {"argocd-cm", false}}

// Argo CD's HealthStatusCode values; anything else becomes Unknown.
var validStatus = map[string]bool{
	"Unknown": true, "Progressing": true, "Suspended": true, "Healthy": true, "Degraded": true, "Missing": true,
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "test" {
		os.Exit(test(os.Args[2]))
	}
	if len(os.Args) == 4 && os.Args[1] == "eval" {
		os.Exit(eval(os.Args[2], os.Args[3]))
	}
	fmt.Fprintln(os.Stderr, "usage: argocd-health test <resource_customizations> | eval <health.lua> <object>")
	os.Exit(2)
}

func eval(scriptPath, objectPath string) int {
	script, err := os.ReadFile(scriptPath)
	if err == nil {
		var h Health
		if h, err = healthInEveryMode(string(script), objectPath); err == nil {
			fmt.Printf("%s\n%s\n", h.Status, h.Message)
			return 0
		}
	}
	fmt.Fprintln(os.Stderr, "argocd-health:", err)
	return 1
}

func test(root string) int {
	passed, failed := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() != "health.lua" {
			return err
		}
		dir := filepath.Dir(path)
		name, _ := filepath.Rel(root, dir)
		script, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		raw, err := os.ReadFile(filepath.Join(dir, "health_test.yaml"))
		if err != nil {
			return err
		}
		var cases testFile
		if err := yaml.UnmarshalStrict(raw, &cases); err != nil {
			return fmt.Errorf("%s/health_test.yaml: %w", name, err)
		}
		if len(cases.Tests) == 0 {
			return fmt.Errorf("%s/health_test.yaml has no tests", name)
		}
		used := map[string]bool{}
		for _, c := range cases.Tests {
			used[filepath.Clean(c.InputPath)] = true
			got, err := healthInEveryMode(string(script), filepath.Join(dir, c.InputPath))
			if err == nil && got != c.HealthStatus {
				err = fmt.Errorf("got %+v, want %+v", got, c.HealthStatus)
			}
			if err != nil {
				failed++
				fmt.Printf("FAIL %s/%s: %v\n", name, c.InputPath, err)
			} else {
				passed++
				fmt.Printf("ok   %s/%s: %s\n", name, c.InputPath, got.Status)
			}
		}
		// A sample without an expected outcome tests nothing; Argo CD would not notice it either.
		samples, _ := filepath.Glob(filepath.Join(dir, "testdata", "*.yaml"))
		sort.Strings(samples)
		for _, s := range samples {
			if rel, _ := filepath.Rel(dir, s); !used[rel] {
				failed++
				fmt.Printf("FAIL %s/%s: no case in health_test.yaml\n", name, rel)
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "argocd-health:", err)
		return 1
	}
	fmt.Printf("argocd-health: %d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		return 1
	}
	return 0
}

// healthInEveryMode is the health of one object, the same in every mode or an error.
func healthInEveryMode(script, objectPath string) (Health, error) {
	raw, err := os.ReadFile(objectPath)
	if err != nil {
		return Health{}, err
	}
	// As Argo CD's test reads testdata: YAML to JSON to map[string]any (numbers are float64).
	obj := map[string]any{}
	if err := yaml.Unmarshal(raw, &obj); err != nil {
		return Health{}, fmt.Errorf("%s: %w", objectPath, err)
	}
	var first Health
	for i, m := range modes {
		h, err := executeHealthLua(obj, script, m.openLibs)
		if err != nil {
			return Health{}, fmt.Errorf("as %s check: %w", m.name, err)
		}
		if i == 0 {
			first = h
		} else if h != first {
			return Health{}, fmt.Errorf("as %s check %+v, as %s check %+v", modes[0].name, first, m.name, h)
		}
	}
	return first, nil
}

// executeHealthLua is Argo CD's VM.ExecuteHealthLua.
func executeHealthLua(obj map[string]any, script string, openLibs bool) (Health, error) {
	l, err := runLua(obj, script, openLibs)
	if err != nil {
		return Health{}, err
	}
	defer l.Close()
	ret := l.Get(-1)
	switch ret.Type() {
	case lua.LTNil:
		return Health{}, nil
	case lua.LTTable:
	default:
		return Health{}, fmt.Errorf("expect table output from Lua script, not %s", ret.Type())
	}
	raw, err := luajson.Encode(ret)
	if err != nil {
		return Health{}, err
	}
	var h Health
	if err := json.Unmarshal(raw, &h); err != nil {
		// An empty table encodes as [], which Argo CD reads as an empty status.
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Value == "array" && typeErr.Type == reflect.TypeFor[Health]() {
			return Health{}, nil
		}
		return Health{}, err
	}
	if !validStatus[h.Status] {
		return Health{Status: "Unknown", Message: "Lua returned an invalid health status"}, nil
	}
	return h, nil
}

// runLua is Argo CD's VM.runLuaWithResourceActionParameters without action parameters.
func runLua(obj map[string]any, script string, openLibs bool) (*lua.LState, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !openLibs})
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openSafeOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			l.Close()
			return nil, err
		}
	}
	l.PreloadModule(lua.OsLibName, safeOsLoader)

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("actionParams", l.CreateTable(0, 0))
	l.SetGlobal("obj", decodeValue(l, obj))

	if err := l.DoString(script); err != nil {
		l.Close()
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) && apiErr.Type == lua.ApiErrorRun {
			apiErr.StackTrace = ""
		}
		return nil, err
	}
	return l, nil
}

// decodeValue is Argo CD's conversion of the object into Lua values.
func decodeValue(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case int:
		return lua.LNumber(v)
	case int32:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case []any:
		arr := l.CreateTable(len(v), 0)
		for _, item := range v {
			arr.Append(decodeValue(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(v))
		for key, item := range v {
			tbl.RawSetH(lua.LString(key), decodeValue(l, item))
		}
		return tbl
	}
	return lua.LNil
}

// safeOsFuncs are os.time and os.date, the only os functions Argo CD gives a script (its
// oslib_safe.go is a copy of gopher-lua's); taken here from gopher-lua itself.
var safeOsFuncs = func() map[string]lua.LGFunction {
	l := lua.NewState()
	defer l.Close()
	os := l.GetGlobal("os")
	funcs := map[string]lua.LGFunction{}
	for _, name := range []string{"time", "date"} {
		funcs[name] = l.GetField(os, name).(*lua.LFunction).GFunction
	}
	return funcs
}()

func openSafeOs(l *lua.LState) int {
	l.Push(l.RegisterModule(lua.OsLibName, safeOsFuncs))
	return 1
}

func safeOsLoader(l *lua.LState) int {
	l.Push(l.SetFuncs(l.NewTable(), safeOsFuncs))
	return 1
}

