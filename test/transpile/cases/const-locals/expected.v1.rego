package tconstlocals

# const-locals/input.ts:10
violation contains {"msg": msg} if {
	name := object.get(input.review.object, ["metadata", "name"], "")
	wanted := sprintf("%v%v", [name, input.parameters.suffix])
	input.review.object.spec.hostname
	not input.review.object.spec.hostname == wanted
	msg := sprintf("hostname %v should be %v", [input.review.object.spec.hostname, wanted])
}
