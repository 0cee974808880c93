package treportdetails

# report-details/input.ts:9
violation[{"msg": msg, "details": details}] {
	policy := object.get(input.review.object, ["spec", "restartPolicy"], "Always")
	policy == "Always"
	input.parameters.maxRestarts == 0
	msg := "restarts are not allowed"
	details := {"restartPolicy": policy, "limit": input.parameters.maxRestarts, "kinds": ["Pod"]}
}
