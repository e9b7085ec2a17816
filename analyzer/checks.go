package analyzer

// Check names are stable: they are the diagnostics' Category, the values of
// -disable and the names a suppression directive takes.
const (
	CheckDiscardedImage    = "discarded-image"
	CheckHardcodedImage    = "hardcoded-image"
	CheckDeployTimeTag     = "deploy-time-tag"
	CheckRegeneratedTag    = "regenerated-tag"
	CheckRetagAfterLoad    = "retag-after-load"
	CheckIgnoredImageParam = "ignored-image-param"
	CheckImageMismatch     = "image-mismatch"

	// checkDirective reports malformed or unused suppression directives.
	// It cannot be disabled: a directive that suppresses nothing is a lie.
	checkDirective = "ignore-directive"
)

// Checks lists every check in documentation order.
var Checks = []string{
	CheckDiscardedImage,
	CheckHardcodedImage,
	CheckDeployTimeTag,
	CheckRegeneratedTag,
	CheckRetagAfterLoad,
	CheckIgnoredImageParam,
	CheckImageMismatch,
}

func isCheck(name string) bool {
	for _, c := range Checks {
		if c == name {
			return true
		}
	}
	return false
}
