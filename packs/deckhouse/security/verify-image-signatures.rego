package d8.verify_image_signatures

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

# Images of containers and init containers that fall under a reference.
images contains image if {
	some c in array.concat(object.get(pod, ["spec", "containers"], []), object.get(pod, ["spec", "initContainers"], []))
	image := c.image
	some reference in input.parameters.references
	regex.match(reference, image)
}

# Ratify's answer through Gatekeeper external data; with isTest, the answer mocked in the inventory.
response := data.inventory.namespace[input.review.namespace]["deckhouse.io/v1alpha1"].ExternalDataInventory["default"].spec.providers["ratify-provider"] if {
	input.parameters.isTest == true
} else := external_data({"provider": "ratify-provider", "keys": [image | some image in images]}) if {
	not input.parameters.isTest == true
}

violation contains {"msg": msg} if {
	count(images) > 0
	object.get(response, "system_error", "") != ""
	msg := sprintf("System error calling external data provider: %s", [response.system_error])
}

violation contains {"msg": msg} if {
	count(images) > 0
	count(object.get(response, "errors", [])) > 0
	msg := sprintf("Error validating one or more images: %v", [response.errors])
}

violation contains {"msg": msg} if {
	some [image, result] in verdicts
	image in images
	not result.isSuccess == true
	msg := sprintf("Image signature verification failed: %s", [image])
}

# Each image's verdict: external data answers with `[key, value]` pairs; a mocked answer may map
# images to verdicts directly, as Deckhouse's own suites write it.
verdicts contains [image, result] if {
	some [image, result] in object.get(response, "responses", [])
}

verdicts contains [image, result] if {
	answers := object.get(response, "responses", [])
	is_object(answers)
	some image, result in answers
}
