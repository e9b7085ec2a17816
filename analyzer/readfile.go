package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"strings"
)

// Manifests the code reads into memory, by a constant path (os.ReadFile,
// an embed.FS's ReadFile) or with //go:embed, are deployed where they are
// read, as written in the file, unless the flow rewrites the content
// first: a placeholder replaced, a template executed, the Image of a
// decoded container set.

// readPathArg returns the index of the path argument of a function that
// reads a whole file: os.ReadFile, (embed.FS).ReadFile.
func readPathArg(fn *types.Func) (int, bool) {
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

// isManifestPath reports whether a constant path names a YAML file: the
// only files read into memory whose containers count as deployed.
func isManifestPath(p string) bool {
	ext := path.Ext(p)
	return ext == ".yaml" || ext == ".yml"
}

// readFileSteps adds the deploy steps of a manifest file that call reads.
func (ix *index) readFileSteps(fl *flow, cs *callSite, fn *types.Func, add func(step)) {
	i, _ := readPathArg(fn)
	if i >= len(cs.call.Args) {
		return
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
	ix.readManifestSteps(fl, cs.call, holder, fn.FullName(), p.str, add)
}

// readManifestSteps adds the steps of the manifest file at p, read into
// holder (nil when the read is used in place) at the node at. A file that
// cannot be read, or holds no containers, is no manifest of ours.
func (ix *index) readManifestSteps(fl *flow, at ast.Node, holder types.Object, where, p string, add func(step)) {
	files, ok := ix.manifestFiles(p)
	if !ok || len(files) != 1 {
		return
	}
	var steps []step
	ix.manifestFileSteps(at, where, files[0], nil, func(st step) { steps = append(steps, st) })
	if len(steps) == 0 {
		return
	}
	if ix.rewritten(fl, at, holder) {
		add(step{kind: stepDeploy, at: at, where: where})
		return
	}
	for _, st := range steps {
		st.read = true
		add(st)
	}
}

// rewritten reports whether fl changes the content read at the node at
// (or held by holder) before it can be applied: it passes it to a
// replacement or a template, or to a function of its own that returns
// text (a renderer), or sets the Image of a container, which a decoded
// manifest may be.
func (ix *index) rewritten(fl *flow, at ast.Node, holder types.Object) bool {
	if fl.decl == nil || fl.decl.Body == nil {
		return false
	}
	reaches := func(arg ast.Expr) bool {
		return containsNode(arg, at) || holder != nil && ix.mentionsThrough(arg, holder, 2)
	}
	found := false
	ast.Inspect(fl.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := ix.staticCallee(n)
			if fn == nil || !(isRewriter(fn) || fn.Pkg() == ix.pass.Pkg && returnsText(fn)) {
				break
			}
			for _, arg := range n.Args {
				found = found || reaches(arg)
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Image" && isContainerType(ix.info.TypeOf(sel.X)) {
					found = true
				}
			}
		}
		return !found
	})
	return found
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
					ix.readManifestSteps(fl, id, v, "//go:embed "+p, p, add)
				}
			}
		}
		return true
	})
}
