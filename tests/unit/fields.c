/*
 * Unit tests of the field table of state.c (dipb_event_fields): what
 * dipb-workflow(7), "Fields", says each event may change.
 */
#include <criterion/criterion.h>

#include "state.h"

/* The field table of state.c: what dipb-workflow(7) "Fields" says. */
Test(fields, event_table)
{
	cr_expect_eq(dipb_event_fields(DIPB_EVENT_ACTION_UPDATED),
	    DIPB_FIELD_ACTION_STATE | DIPB_FIELD_UPDATED);
	cr_expect_eq(dipb_event_fields(DIPB_EVENT_DECIDED),
	    DIPB_FIELD_DECISION | DIPB_FIELD_UPDATED);
	cr_expect_eq(dipb_event_fields(DIPB_EVENT_SUBMITTED),
	    DIPB_FIELD_SUBMISSION | DIPB_FIELD_UPDATED);
	cr_expect(dipb_event_fields(DIPB_EVENT_DRAFTED) & DIPB_FIELD_CREATED);
	cr_expect(!(dipb_event_fields(DIPB_EVENT_EDITED) &
	    DIPB_FIELD_CREATED));
	cr_expect(!(dipb_event_fields(DIPB_EVENT_EDITED) & DIPB_FIELD_WG));
	cr_expect_eq(dipb_event_fields(DIPB_EVENT_CHANGED), 0);
}
