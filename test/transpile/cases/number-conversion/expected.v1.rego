package tnumberconversion

# number-conversion/input.ts:10
violation contains {"msg": msg} if {
	annotations := object.get(input.review.object, ["metadata", "annotations"], {})
	regex.match(`^[0-9]+$`, annotations["example.com/grace"])
	number(annotations["example.com/grace"]) > input.parameters.maxGracePeriod
	msg := sprintf("grace period %v exceeds %v", [annotations["example.com/grace"], input.parameters.maxGracePeriod])
}

# policyc library
number(s) := 0 if {
	trim_space(s) == ""
} else := to_number(trim_space(s))
