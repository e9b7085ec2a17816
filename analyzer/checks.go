package analyzer

import "github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"

// Check names are stable: they are the diagnostics' Category, the values of
// -disable and the names a suppression directive takes. Each check's
// constant sits in the file that defines it.

// checkDirective reports malformed or unused suppression directives. It
// cannot be disabled: a directive that suppresses nothing is a lie.
const checkDirective = "ignore-directive"

// Precedence ranks: a finding covers only findings of lower-ranked checks
// (the one that explains the bug best is shown). Kept in one place so that
// the order is visible at a glance.
const (
	rankUndeployedImage = 10 + iota*10
	rankHardcodedImage
	rankImageMismatch
	rankUnknownChartValue
	rankHandSplitReference
	rankRetagAfterLoad
	rankRegeneratedTag
	rankIgnoredImageParam
	rankDeployTimeTag
	rankDiscardedImage
)

// flowTrigger is the syntax every check that follows image values needs:
// os/exec, the core API types, or a library whose APIs the knowledge
// table lists.
var flowTrigger = trigger{
	imports:  append([]string{"os/exec", corev1Path}, knowledge.Packages()...),
	literals: manifestImageKey,
	calls:    true,
}
