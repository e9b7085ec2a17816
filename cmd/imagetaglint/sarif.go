package main

import (
	"cmp"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
)

// SARIF 2.1.0 output: one run, one rule per check (with its documentation
// as helpUri), one result per finding with its location, related locations
// and fixes. Load and type errors become tool execution notifications and
// mark the invocation unsuccessful. File URIs are relative to the working
// directory (%SRCROOT%), as code-scanning services expect.

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name"`
	ShortDescription     sarifMessage  `json:"shortDescription"`
	FullDescription      *sarifMessage `json:"fullDescription,omitempty"`
	Help                 *sarifHelp    `json:"help,omitempty"`
	HelpURI              string        `json:"helpUri,omitempty"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

// sarifHelp is a rule's documentation, in Markdown that reads as text too.
type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	CodeFlows        []sarifCodeFlow `json:"codeFlows,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

// sarifCodeFlow is the path of a finding through a flow's steps: build,
// load, deploy.
type sarifCodeFlow struct {
	Message     *sarifMessage     `json:"message,omitempty"`
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifThreadFlowLocation `json:"locations"`
}

type sarifThreadFlowLocation struct {
	Location sarifLocation `json:"location"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifContent `json:"insertedContent,omitempty"`
}

type sarifContent struct {
	Text string `json:"text"`
}

const srcRoot = "%SRCROOT%"

// sarifArtifact locates file relative to the source root wd when it is
// inside it, else by its absolute file URI.
func sarifArtifact(wd, file string) sarifArtifactLoc {
	if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
		return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()}
}

func sarifRegionOf(from, to position) sarifRegion {
	r := sarifRegion{StartLine: from.Line, StartColumn: from.Column}
	if to.File == from.File && to.Line > 0 {
		r.EndLine, r.EndColumn = to.Line, to.Column
	}
	return r
}

// ruleInfo is a check's rule: its name, the URL of its documentation, its
// one-line description, its rule and its full documentation (Markdown).
type ruleInfo struct {
	id, url, description, full, help string
}

// printSARIF writes the log; paths, when not nil, gives the code flows of
// findings (see findingPaths).
func printSARIF(w io.Writer, wd, name, version, infoURI string, rules []ruleInfo, fs []finding, errs []string, paths map[pathKey][]findingPath) error {
	// Rules: every known check, then any other category the findings use.
	index := make(map[string]int)
	run := sarifRun{
		Tool:               sarifTool{Driver: sarifDriver{Name: name, Version: version, InformationURI: infoURI, Rules: []sarifRule{}}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{srcRoot: {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(wd) + "/"}).String()}},
		Results:            []sarifResult{},
	}
	addRule := func(r ruleInfo) {
		if _, ok := index[r.id]; ok {
			return
		}
		index[r.id] = len(run.Tool.Driver.Rules)
		sr := sarifRule{ID: r.id, Name: r.id, ShortDescription: sarifMessage{cmp.Or(r.description, r.id)}, HelpURI: r.url}
		if r.full != "" {
			sr.FullDescription = &sarifMessage{r.full}
		}
		if r.help != "" {
			sr.Help = &sarifHelp{Text: r.help, Markdown: r.help}
		}
		sr.DefaultConfiguration.Level = "warning"
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sr)
	}
	for _, r := range rules {
		addRule(r)
	}
	for _, f := range fs {
		addRule(ruleInfo{id: f.Check, url: f.URL})
		res := sarifResult{
			RuleID: f.Check, RuleIndex: index[f.Check], Level: "warning",
			Message: sarifMessage{f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact(wd, f.Posn.File), Region: sarifRegionOf(f.Posn, f.End)}}},
		}
		for i, r := range f.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact(wd, r.Posn.File), Region: sarifRegionOf(r.Posn, r.End)},
				Message:          &sarifMessage{r.Message},
			})
		}
		for _, p := range paths[pathKeyOf(f)] {
			tf := sarifThreadFlow{}
			for _, st := range p.steps {
				pos := position{File: st.pos.File, Line: st.pos.Line, Column: st.pos.Col}
				tf.Locations = append(tf.Locations, sarifThreadFlowLocation{Location: sarifLocation{
					PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact(wd, pos.File), Region: sarifRegionOf(pos, position{})},
					Message:          &sarifMessage{st.message},
				}})
			}
			res.CodeFlows = append(res.CodeFlows, sarifCodeFlow{Message: &sarifMessage{p.flow}, ThreadFlows: []sarifThreadFlow{tf}})
		}
		for _, fx := range f.Fixes {
			sf := sarifFix{Description: sarifMessage{fx.Message}}
			for _, e := range fx.Edits {
				loc := sarifArtifact(wd, e.Start.File)
				i := slices.IndexFunc(sf.ArtifactChanges, func(c sarifArtifactChange) bool { return c.ArtifactLocation == loc })
				if i < 0 {
					i = len(sf.ArtifactChanges)
					sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: loc})
				}
				rep := sarifReplacement{DeletedRegion: sarifRegionOf(e.Start, e.End)}
				if rep.DeletedRegion.EndLine == 0 {
					rep.DeletedRegion.EndLine, rep.DeletedRegion.EndColumn = e.Start.Line, e.Start.Column
				}
				if e.New != "" {
					rep.InsertedContent = &sarifContent{e.New}
				}
				sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, rep)
			}
			if len(sf.ArtifactChanges) > 0 {
				res.Fixes = append(res.Fixes, sf)
			}
		}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: len(errs) == 0}
	for _, e := range errs {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "error", Message: sarifMessage{e}})
	}
	run.Invocations = []sarifInvocation{inv}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}
