package analyzer

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The settings of Config reach it three ways, all described by its struct
// tags: command-line flags (RegisterFlags), the .imagetaglint.yaml file
// (LoadConfigFile) and golangci-lint's plugin settings (Decode). Each way
// rejects unknown keys, values of the wrong type and invalid values with an
// error naming the key.

// ConfigFileName is the configuration file FindConfigFile looks for.
const ConfigFileName = ".imagetaglint.yaml"

// setting is one field of Config.
type setting struct {
	key   string // yaml tag: file key, plugin key and flag name
	help  string
	check string // key of validators, or ""
	// load marks a setting of how packages are loaded (scope:"load"):
	// only the standalone command loads them.
	load  bool
	index int
	typ   reflect.Type
}

// validators check a setting's value by the field's check tag. "funcs" and
// "funcpattern" settings name functions; Usage reports those that match none.
var validators = map[string]func(v reflect.Value) error{
	"funcs":       func(v reflect.Value) error { return validFuncs(v.Interface().([]string)) },
	"types":       func(v reflect.Value) error { return validTypes(v.Interface().([]string)) },
	"names":       func(v reflect.Value) error { return validNames(v.Interface().([]string)) },
	"funcpattern": compiles,
	"regexp":      compiles,
	"checks":      func(v reflect.Value) error { return validChecks(v.Interface().([]string)) },
	"tags":        func(v reflect.Value) error { return validTags(v.Interface().([]string)) },
}

func compiles(v reflect.Value) error { _, err := regexp.Compile(v.String()); return err }

var stringList = reflect.TypeFor[[]string]()

// settingsOfConfig reads the schema from Config's tags. A field of a type
// the decoders cannot handle, or with an unknown check, is a programming
// error caught by TestSettingsSchema.
var settingsOfConfig = sync.OnceValue(func() []setting {
	t := reflect.TypeFor[Config]()
	var ss []setting
	for i := range t.NumField() {
		f := t.Field(i)
		s := setting{key: f.Tag.Get("yaml"), help: f.Tag.Get("help"), check: f.Tag.Get("check"), load: f.Tag.Get("scope") == "load", index: i, typ: f.Type}
		if _, ok := validators[s.check]; s.check != "" && !ok {
			panic(fmt.Sprintf("analyzer.Config.%s: unknown check tag %q", f.Name, s.check))
		}
		switch {
		case s.key == "" || s.key == "-":
			continue // not a setting (a callback, say)
		case s.typ == stringList, s.typ.Kind() == reflect.String, s.typ.Kind() == reflect.Bool:
		default:
			panic(fmt.Sprintf("analyzer.Config.%s: settings of type %s are not supported", f.Name, s.typ))
		}
		ss = append(ss, s)
	}
	return ss
})

// SettingKeys returns the keys of every setting, in declaration order.
func SettingKeys() []string {
	var keys []string
	for _, s := range settingsOfConfig() {
		keys = append(keys, s.key)
	}
	return keys
}

func (s setting) validate(v reflect.Value) error {
	if s.check == "" {
		return nil
	}
	return validators[s.check](v)
}

// want describes the type a setting takes, for errors.
func (s setting) want() string {
	switch {
	case s.typ == stringList:
		return "a list of strings"
	case s.typ.Kind() == reflect.Bool:
		return "boolean"
	}
	return "string"
}

// RegisterFlags binds every setting of c to the flag of the same name in fs.
// Values are validated as they are parsed, so a bad flag stops the command
// at once. A list flag takes comma-separated values and replaces the list.
func (c *Config) RegisterFlags(fs *flag.FlagSet) { c.registerFlags(fs, true) }

// registerFlags is RegisterFlags, without the settings of loading unless
// load: an analyzer's flags under go vet, whose own -tags decides.
func (c *Config) registerFlags(fs *flag.FlagSet, load bool) {
	v := reflect.ValueOf(c).Elem()
	for _, s := range settingsOfConfig() {
		if s.load && !load {
			continue
		}
		usage := s.help
		if s.typ == stringList {
			usage = "comma-separated " + usage
		}
		if s.check == "checks" {
			usage += ": " + strings.Join(Checks, ", ")
		}
		f := &settingFlag{s, v.Field(s.index)}
		if s.typ.Kind() == reflect.Bool {
			fs.Var(&boolSettingFlag{f}, s.key, usage)
		} else {
			fs.Var(f, s.key, usage)
		}
	}
}

// boolSettingFlag is a boolean settingFlag: -name alone sets it.
type boolSettingFlag struct{ *settingFlag }

func (f *boolSettingFlag) IsBoolFlag() bool { return true }

func (f *boolSettingFlag) String() string {
	if f.settingFlag == nil {
		return "false" // the zero value flag.PrintDefaults compares with
	}
	return f.settingFlag.String()
}

// settingFlag is the flag.Value of a setting.
type settingFlag struct {
	s setting
	v reflect.Value
}

func (f *settingFlag) String() string {
	if !f.v.IsValid() {
		return "" // the zero value flag.PrintDefaults makes
	}
	if f.s.typ == stringList {
		return strings.Join(f.v.Interface().([]string), ",")
	}
	return fmt.Sprint(f.v.Interface())
}

func (f *settingFlag) Get() any { return f.v.Interface() }

func (f *settingFlag) Set(text string) error {
	nv := reflect.New(f.s.typ).Elem()
	switch {
	case f.s.typ == stringList:
		list := []string{}
		for _, e := range strings.Split(text, ",") {
			if e = strings.TrimSpace(e); e != "" {
				list = append(list, e)
			}
		}
		nv.Set(reflect.ValueOf(list))
	case f.s.typ.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return errors.New("want true or false")
		}
		nv.SetBool(b)
	default:
		nv.SetString(text)
	}
	if err := f.s.validate(nv); err != nil {
		return err
	}
	f.v.Set(nv)
	return nil
}

// FindConfigFile returns the path of the nearest .imagetaglint.yaml in dir
// or one of its parents up to the module root (the directory holding
// go.mod), or "" when there is none. The search stops at the module root
// so that a module nested in another, such as a testdata module, is not
// configured by the outer one's file.
func FindConfigFile(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		path := filepath.Join(dir, ConfigFileName)
		info, err := os.Stat(path)
		switch {
		case err == nil && !info.IsDir():
			return path, nil
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
		if info, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !info.IsDir() {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// LoadConfigFile returns DefaultConfig overridden by the settings of the
// YAML file at path, and the keys the file sets. Errors give file:line.
func LoadConfigFile(path string) (Config, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, nil, err
	}
	return parseConfig(data, path)
}

func parseConfig(data []byte, path string) (Config, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// yaml.v3 says "yaml: line N: ..."; make it path:N: ...
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			return Config{}, nil, fmt.Errorf("%s:%s", path, rest)
		}
		return Config{}, nil, fmt.Errorf("%s: %s", path, msg)
	}
	return decoder{file: path}.decode(&doc)
}

// Decode returns DefaultConfig overridden by raw, the settings value
// golangci-lint hands a plugin (the decoded YAML of its settings: mapping).
func Decode(raw any) (Config, error) {
	var doc yaml.Node
	if raw != nil {
		if err := doc.Encode(raw); err != nil {
			return Config{}, fmt.Errorf("imagetaglint settings: %v", err)
		}
	}
	cfg, _, err := decoder{}.decode(&doc)
	return cfg, err
}

// decoder decodes settings strictly from a YAML tree.
type decoder struct {
	file string // "" for plugin settings, which have no meaningful lines
}

func (d decoder) errorf(n *yaml.Node, format string, args ...any) error {
	if d.file == "" {
		return fmt.Errorf("imagetaglint settings: "+format, args...)
	}
	return fmt.Errorf("%s:%d:%d: "+format, append([]any{d.file, n.Line, n.Column}, args...)...)
}

func (d decoder) decode(doc *yaml.Node) (Config, []string, error) {
	cfg := DefaultConfig()
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return cfg, nil, nil
		}
		root = root.Content[0]
	}
	if root.Kind == 0 || root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil, nil // an empty file or settings: with no value
	}
	if root.Kind != yaml.MappingNode {
		return Config{}, nil, d.errorf(root, "must be a mapping of keys (%s) to values, got %s", strings.Join(SettingKeys(), ", "), kindOf(root))
	}
	v := reflect.ValueOf(&cfg).Elem()
	var set []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, val := root.Content[i], root.Content[i+1]
		s, ok := lookupSetting(k.Value)
		switch {
		case !ok:
			return Config{}, nil, d.errorf(k, "unknown key %q (known keys: %s)", k.Value, strings.Join(SettingKeys(), ", "))
		case slices.Contains(set, s.key):
			return Config{}, nil, d.errorf(k, "%q is set twice", s.key)
		case s.load && d.file == "":
			return Config{}, nil, d.errorf(k, "%q: golangci-lint loads the packages; set run.build-tags in .golangci.yml", s.key)
		}
		nv, err := d.value(s, val)
		if err != nil {
			return Config{}, nil, err
		}
		if err := s.validate(nv); err != nil {
			return Config{}, nil, d.errorf(val, "%q: %v", s.key, err)
		}
		v.Field(s.index).Set(nv)
		set = append(set, s.key)
	}
	return cfg, set, nil
}

func lookupSetting(key string) (setting, bool) {
	for _, s := range settingsOfConfig() {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// value converts n to the type of s, refusing anything YAML would coerce.
func (d decoder) value(s setting, n *yaml.Node) (reflect.Value, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	wrong := func(at *yaml.Node) (reflect.Value, error) {
		return reflect.Value{}, d.errorf(at, "%q: got %s, want %s", s.key, kindOf(at), s.want())
	}
	nv := reflect.New(s.typ).Elem()
	switch {
	case s.typ == stringList:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			nv.Set(reflect.ValueOf([]string{}))
			return nv, nil
		}
		if n.Kind != yaml.SequenceNode {
			return wrong(n)
		}
		list := []string{}
		for _, e := range n.Content {
			if e.Kind == yaml.AliasNode {
				e = e.Alias
			}
			if e.Kind != yaml.ScalarNode || e.Tag != "!!str" {
				return reflect.Value{}, d.errorf(e, "%q: got %s in the list, want a list of strings", s.key, kindOf(e))
			}
			list = append(list, e.Value)
		}
		nv.Set(reflect.ValueOf(list))
	case s.typ.Kind() == reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
			return wrong(n)
		}
		nv.SetBool(b)
	default:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			return wrong(n)
		}
		nv.SetString(n.Value)
	}
	return nv, nil
}

// kindOf names the type of a YAML value the way the errors do.
func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!str":
			return "string"
		case "!!int", "!!float":
			return "number"
		case "!!bool":
			return "boolean"
		case "!!null":
			return "null"
		}
		return strings.TrimPrefix(n.Tag, "!!")
	}
	return "nothing"
}
