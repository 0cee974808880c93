package tnumberconversion

# number-conversion/input.ts:10
violation[{"msg": msg}] {
	annotations := object.get(input.review.object, ["metadata", "annotations"], {})
	annotations["example.com/grace"]
	regex.match("^[0-9]+$", annotations["example.com/grace"])
	to_number(annotations["example.com/grace"]) > input.parameters.maxGracePeriod
	msg := sprintf("grace period %v exceeds %v", [annotations["example.com/grace"], input.parameters.maxGracePeriod])
}
