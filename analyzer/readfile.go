package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
)

// Manifests the code reads into memory, by a constant path (os.ReadFile,
// an embed.FS's ReadFile) or with //go:embed, are deployed where they are
// read, as written in the file, unless the flow rewrites the content
// first: a placeholder replaced, a template executed, the Image of a
// decoded container set.

// readPathArg returns the index of the path argument of a function that
// reads a whole file: os.ReadFile, (embed.FS).ReadFile, and text/template
// or html/template ParseFiles of one file.
func readPathArg(fn *types.Func) (int, bool) {
	if isParseFiles(fn) {
		return 0, true
	}
	if fn.Pkg() == nil || fn.Name() != "ReadFile" {
		return 0, false
	}
	switch fn.Pkg().Path() {
	case "os":
		return 0, recvTypeName(fn) == ""
	case "embed":
		return 0, recvTypeName(fn) == "FS"
	}
	return 0, false
}

// isParseFiles reports whether fn parses template files by name:
// text/template's and html/template's ParseFiles, function or method.
func isParseFiles(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Name() != "ParseFiles" {
		return false
	}
	p := fn.Pkg().Path()
	return p == "text/template" || p == "html/template"
}

// isManifestPath reports whether a constant path names a YAML file: the
// only files read into memory whose containers count as deployed.
func isManifestPath(p string) bool {
	ext := path.Ext(p)
	return ext == ".yaml" || ext == ".yml"
}

// readFileSteps adds the deploy steps of a manifest file that call reads.
func (ix *index) readFileSteps(fl *flow, cs *callSite, fn *types.Func, add func(step)) {
	i, _ := readPathArg(fn)
	if i >= len(cs.call.Args) || isParseFiles(fn) && (len(cs.call.Args) != 1 || cs.call.Ellipsis.IsValid()) {
		return // several template files: which one holds what is not followed
	}
	p := ix.resolve(fl, cs.call.Args[i])
	if p.kind != vConst || !isManifestPath(p.str) {
		return
	}
	var holder types.Object
	if as, ok := cs.stmt().(*ast.AssignStmt); ok && len(as.Lhs) > 0 {
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			holder = ix.info.ObjectOf(id)
		}
	}
	ix.readManifestSteps(fl, cs.call, holder, fn.FullName(), p.str, isParseFiles(fn), add)
}

// readManifestSteps adds the steps of the manifest file at p, read into
// holder (nil when the read is used in place) at the node at, as a
// text/template template when template is set. A file that
// cannot be read, or holds no containers, is no manifest of ours. What the
// flow does to the text before applying it decides which of the file's
// images still deploy as written.
func (ix *index) readManifestSteps(fl *flow, at ast.Node, holder types.Object, where, p string, template bool, add func(step)) {
	files, ok := ix.manifestFiles(p)
	if !ok || len(files) != 1 {
		return
	}
	rw := ix.rewritesOf(fl, at, holder)
	rw.template = rw.template || template // read by ParseFiles
	syntax := manifest.Plain
	if rw.template {
		syntax = manifest.Template
	}
	var steps []step
	ix.manifestFileSteps(fl, at, where, files[0], syntax, nil, func(st step) { steps = append(steps, st) })
	if len(steps) == 0 {
		return
	}
	opaque := opaqueDeploy(at, where, "the manifest read from "+p+" is changed before it is applied")
	switch {
	case rw.opaque || rw.imageSet && len(steps) > 1:
		add(opaque)
		return
	case rw.imageSet:
		return // the assignment is the deploy: fl's container step
	}
	abs, data, _ := ix.readModuleFile(files[0])
	tf := ix.tokenFiles[abs]
	touched := false
	for _, st := range steps {
		if len(st.images) == 0 || tf == nil || !rw.keeps(string(data), tf.Offset(st.deploy.fileValue.pos)) {
			touched = true
			continue
		}
		st.deploy.read = true
		add(st)
	}
	if touched {
		add(opaque)
	}
}

// textRewrite is what a flow does to a text it read before applying it.
type textRewrite struct {
	olds     []string // constant old sides of replacements
	template bool     // parsed as a text/template template
	imageSet bool     // the Image of a container decoded from it is assigned
	opaque   bool     // a change whose reach is not known
}

// keeps reports whether the line of text holding offset off is applied
// as written: no replacement's old side touches it, and a template writes
// it unconditionally, with no action on it.
func (rw textRewrite) keeps(text string, off int) bool {
	if off < 0 || off > len(text) {
		return false
	}
	start := strings.LastIndexByte(text[:off], '\n') + 1
	end := len(text)
	if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
		end = off + i
	}
	for _, old := range rw.olds {
		if old == "" {
			return false // inserted between every two bytes
		}
		// An occurrence overlapping the line: it starts before the
		// line's end and ends after its start.
		from := max(0, start-len(old)+1)
		if i := strings.Index(text[from:min(len(text), end+len(old)-1)], old); i >= 0 {
			return false
		}
	}
	if !rw.template {
		return true
	}
	spans, ok := manifest.Unconditional(text)
	if !ok {
		return false
	}
	for _, sp := range spans {
		if sp[0] <= start && end <= sp[1] {
			return true
		}
	}
	return false
}

// rewriteDepth is how many assignments a rewritten text is followed
// through: s := ReplaceAll(string(data), ...); s = ReplaceAll(s, ...).
const rewriteDepth = 4

// rewritesOf returns what fl does to the content read at the node at (or
// held by holder) before it can be applied: replacements, a template, the
// Image of a decoded container set, or a change of unknown reach (a
// regular expression, a function of its own that returns text).
func (ix *index) rewritesOf(fl *flow, at ast.Node, holder types.Object) textRewrite {
	var rw textRewrite
	if fl.decl == nil || fl.decl.Body == nil {
		return rw
	}
	reaches := func(arg ast.Expr) bool {
		return containsNode(arg, at) || holder != nil && ix.mentionsThrough(arg, holder, rewriteDepth)
	}
	decoded := ix.decodedFrom(fl, reaches)
	ast.Inspect(fl.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := ix.staticCallee(n)
			if fn == nil {
				break
			}
			if fn.FullName() == "(*text/template.Template).Delims" || fn.FullName() == "(*html/template.Template).Delims" {
				rw.opaque = true // actions no longer look like actions
			}
			if !(isRewriter(fn) || fn.Pkg() == ix.pass.Pkg && returnsText(fn)) || !slices.ContainsFunc(n.Args, reaches) {
				break
			}
			ix.addRewrite(&rw, fl, n, fn, reaches)
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Image" && isContainerType(ix.info.TypeOf(sel.X)) {
					if slices.ContainsFunc(decoded, func(v *types.Var) bool { return ix.mentionsThrough(sel.X, v, 2) }) {
						rw.imageSet = true
					} else {
						rw.opaque = true // perhaps a container of the text, reached some other way
					}
				}
			}
		}
		return !rw.opaque
	})
	return rw
}

// addRewrite records what the rewriter call, one of whose arguments
// reaches the text, does to it.
func (ix *index) addRewrite(rw *textRewrite, fl *flow, call *ast.CallExpr, fn *types.Func, reaches func(ast.Expr) bool) {
	switch fn.FullName() {
	case "strings.Replace", "strings.ReplaceAll", "bytes.Replace", "bytes.ReplaceAll":
		if len(call.Args) >= 3 && reaches(call.Args[0]) && !reaches(call.Args[1]) && !reaches(call.Args[2]) {
			if old, ok := constText(ix.info, call.Args[1]); ok {
				rw.olds = append(rw.olds, old)
				return
			}
		}
	case "os.Expand", "os.ExpandEnv":
		if len(call.Args) >= 1 && reaches(call.Args[0]) {
			rw.olds = append(rw.olds, "$")
			return
		}
	case "(*strings.Replacer).Replace", "(*strings.Replacer).WriteString":
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if olds, ok := ix.replacerOlds(fl, sel.X); ok {
				rw.olds = append(rw.olds, olds...)
				return
			}
		}
	case "(*text/template.Template).Parse", "(*html/template.Template).Parse":
		rw.template = true
		return
	}
	rw.opaque = true
}

// replacerOlds returns the constant old sides of the strings.NewReplacer
// call e is, directly or through a variable assigned once.
func (ix *index) replacerOlds(fl *flow, e ast.Expr) ([]string, bool) {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		v, ok := ix.info.Uses[id].(*types.Var)
		if !ok || len(ix.defs[v]) != 1 || ix.defs[v][0].index >= 0 || ix.defs[v][0].fl != fl {
			return nil, false
		}
		e = ix.defs[v][0].rhs
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return nil, false
	}
	if fn := ix.staticCallee(call); fn == nil || fn.FullName() != "strings.NewReplacer" {
		return nil, false
	}
	var olds []string
	for i := 0; i < len(call.Args); i += 2 {
		old, ok := constString(ix.info, call.Args[i])
		if !ok {
			return nil, false
		}
		olds = append(olds, old)
	}
	return olds, true
}

// decodedFrom returns the variables of fl that a text reaching reaches is
// decoded into: json.Unmarshal(data, &pod), obj, err := decode(data).
func (ix *index) decodedFrom(fl *flow, reaches func(ast.Expr) bool) []*types.Var {
	var vars []*types.Var
	addIdent := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if v, ok := ix.info.ObjectOf(id).(*types.Var); ok {
				vars = append(vars, v)
			}
		}
	}
	ast.Inspect(fl.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if !slices.ContainsFunc(n.Args, reaches) {
				break
			}
			for _, arg := range n.Args {
				if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
					addIdent(u.X)
				}
			}
		case *ast.AssignStmt:
			if slices.ContainsFunc(n.Rhs, reaches) {
				for _, lhs := range n.Lhs {
					addIdent(lhs)
				}
			}
		}
		return true
	})
	return vars
}

// constText returns the constant text of e: a string constant, or its
// conversion to []byte.
func constText(info *types.Info, e ast.Expr) (string, bool) {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 {
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
			e = call.Args[0]
		}
	}
	return constString(info, e)
}

// rewriters are the standard library's ways of changing a text in place.
var rewriters = map[string]bool{
	"strings.Replace": true, "strings.ReplaceAll": true, "bytes.Replace": true, "bytes.ReplaceAll": true,
	"(*strings.Replacer).Replace": true, "(*strings.Replacer).WriteString": true,
	"(*regexp.Regexp).ReplaceAll": true, "(*regexp.Regexp).ReplaceAllString": true,
	"(*regexp.Regexp).ReplaceAllLiteral": true, "(*regexp.Regexp).ReplaceAllLiteralString": true,
	"(*regexp.Regexp).ReplaceAllFunc": true, "(*regexp.Regexp).ReplaceAllStringFunc": true,
	"os.Expand": true, "os.ExpandEnv": true,
	"(*text/template.Template).Parse": true, "(*html/template.Template).Parse": true,
}

func isRewriter(fn *types.Func) bool { return rewriters[fn.FullName()] }

// returnsText reports whether fn returns a string or a []byte.
func returnsText(fn *types.Func) bool {
	res := fn.Type().(*types.Signature).Results()
	for i := range res.Len() {
		if t := res.At(i).Type(); isStringType(t) || types.Identical(t, types.NewSlice(types.Typ[types.Byte])) {
			return true
		}
	}
	return false
}

// embeddedManifests returns the package's string and []byte variables
// that //go:embed fills with one YAML file, and the file's path.
func (ix *index) embeddedManifests() map[*types.Var]string {
	if ix.embeds != nil {
		return *ix.embeds
	}
	embeds := make(map[*types.Var]string)
	for _, f := range ix.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				doc := vs.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				p, ok := embedPattern(doc)
				if !ok || len(vs.Names) != 1 || !isManifestPath(p) {
					continue
				}
				if v, ok := ix.info.Defs[vs.Names[0]].(*types.Var); ok && !isEmbedFS(v.Type()) {
					embeds[v] = p
				}
			}
		}
	}
	ix.embeds = &embeds
	return embeds
}

// embedPattern returns the single pattern of a //go:embed directive.
func embedPattern(doc *ast.CommentGroup) (string, bool) {
	if doc == nil {
		return "", false
	}
	for _, c := range doc.List {
		if rest, ok := strings.CutPrefix(c.Text, "//go:embed "); ok {
			fields := strings.Fields(rest)
			if len(fields) != 1 || strings.ContainsAny(fields[0], "*?[\"`") {
				return "", false
			}
			return fields[0], true
		}
	}
	return "", false
}

func isEmbedFS(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "embed" && n.Obj().Name() == "FS"
}

// readsEmbedded reports whether decl reads an embedded manifest.
func (ix *index) readsEmbedded(decl *ast.FuncDecl) bool {
	embeds := ix.embeddedManifests()
	found := false
	ast.Inspect(decl, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := ix.info.Uses[id].(*types.Var); ok {
				_, found = embeds[v]
			}
		}
		return !found
	})
	return found
}

// mentionsManifestPath reports whether e holds a constant naming a YAML
// file: os.ReadFile("testdata/app.yaml"), filepath.Join("config", name+".yaml").
func mentionsManifestPath(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok && !found {
			if s, ok := constString(info, x); ok {
				found = isManifestPath(s)
				return false
			}
		}
		return !found
	})
	return found
}

// embedSteps adds the steps of the embedded manifests fl reads, at each
// read.
func (ix *index) embedSteps(fl *flow, add func(step)) {
	embeds := ix.embeddedManifests()
	if len(embeds) == 0 || fl.decl == nil || fl.decl.Body == nil {
		return
	}
	ast.Inspect(fl.decl.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := ix.info.Uses[id].(*types.Var); ok {
				if p, ok := embeds[v]; ok {
					ix.readManifestSteps(fl, id, v, "//go:embed "+p, p, false, add)
				}
			}
		}
		return true
	})
}
