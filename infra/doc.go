// Package infra is the E2E image lifecycle the incident reports asked for:
// an image's tag is generated once, the image is built with it, loaded into
// Kind with it, found in every node, and deployed with it.
//
// A suite describes the images it needs as [ImageSpec] values, and a
// [Builder] builds each under its own tag with podman, docker or nerdctl,
// loads it into the named Kind cluster and checks every node for it,
// returning typed [Image] values for [DeployService]. [Setup] does all of
// it for a list of [App]s. Package infra/e2eframework offers the same steps
// as sigs.k8s.io/e2e-framework env.Funcs, and infra/infratest a recorded
// [Runner] for testing setup code without an engine or a cluster.
//
// Each failure mode the reports describe is hard to write with this API:
//
//   - A discarded build result (Dec 23: "_, err := BuildAndLoadImageToKind")
//     leaves nothing to deploy: the reference exists only inside the
//     returned Image, and deploy functions take an Image, not a string.
//   - A hardcoded reference ("localhost/kubernaut-datastorage:e2e-test")
//     cannot reach a container spec: only a Builder makes a non-zero Image,
//     and deploy functions reject the zero one.
//   - A tag generated again at deploy time (Dec 26, Gateway) cannot happen:
//     [GenerateInfraImageName] is called once, inside the build, and its
//     result reaches deploy functions only as the Image the build returns.
//   - Re-tagging a shared cached image inside the Kind node ("Phase 3.5")
//     is unnecessary: every consumer builds its own image under its own
//     tag, so parallel suites neither collide nor test stale code.
//   - An image that did not arrive in a node (ErrImageNeverPull after a
//     pod's timeout) is reported by the build, naming the reference and
//     the node, before anything is deployed.
//
// The phases keep the reports' numbering: 0 generate the tag, 1 build,
// 2 the cluster (created by the caller; its nodes are listed first),
// 3 load into Kind and verify, 4 deploy.
package infra
