/*
 * gcc-pass.h - the pass boilerplate of the staticcall plugin in one place,
 * the way Linux's scripts/gcc-plugins/gcc-generate-*-pass.h does it: a pass
 * is a plain function `unsigned int fn(function *)` and one call
 *
 *   sc_register_pass(plugin, GIMPLE_PASS, "staticcall_sites", PROP_cfg,
 *                    sc_gimple_execute, "cfg", 1, PASS_POS_INSERT_AFTER);
 *
 * builds its pass_data, the opt_pass subclass of the right kind and the
 * register_pass_info, and hands them to GCC's pass manager.
 */
#ifndef STATICCALL_GCC_PASS_H
#define STATICCALL_GCC_PASS_H

#include "gcc-common.h"

typedef unsigned int (*sc_pass_fn)(function *);

/* One class per pass kind (GCC's constructors are protected). */
template <class Base>
class sc_pass : public Base {
public:
	sc_pass(const pass_data &data, sc_pass_fn fn)
		: Base(data, g), m_fn(fn) {}
	unsigned int execute(function *fun) final override
	{
		return m_fn(fun);
	}
	/* Inserted next to every instance of a pass that runs twice. */
	opt_pass *clone() final override
	{
		return new sc_pass(*this);
	}
private:
	sc_pass_fn m_fn;
};

static inline void sc_register_pass(const char *plugin_name,
				    enum opt_pass_type type, const char *name,
				    unsigned int properties_required,
				    sc_pass_fn fn, const char *reference,
				    int instance, enum pass_positioning_ops pos)
{
	pass_data data;
	struct register_pass_info info;

	/* Field by field: new GCC fields keep their zero default. */
	memset(&data, 0, sizeof(data));
	data.type = type;
	data.name = name;
	data.optinfo_flags = OPTGROUP_NONE;
	data.tv_id = TV_NONE;
	data.properties_required = properties_required;
	switch (type) {
	case GIMPLE_PASS:
		info.pass = new sc_pass<gimple_opt_pass>(data, fn);
		break;
	case RTL_PASS:
		info.pass = new sc_pass<rtl_opt_pass>(data, fn);
		break;
	case SIMPLE_IPA_PASS:
		info.pass = new sc_pass<simple_ipa_opt_pass>(data, fn);
		break;
	default:
		gcc_unreachable();
	}
	info.reference_pass_name = reference;
	info.ref_pass_instance_number = instance;
	info.pos_op = pos;
	register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}

#endif /* STATICCALL_GCC_PASS_H */
