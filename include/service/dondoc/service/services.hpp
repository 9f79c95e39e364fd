// Use cases (docs/design.md, "How a request flows"): register and change units and tasks, run
// lifecycle actions, list and read history. Validation, normalization and transaction boundaries
// live in the services; callers (HTTP, CLI) only translate. Every write and its history event
// commit in one transaction. This header gathers the core ones: the context, units and tasks.
#pragma once

#include "dondoc/service/context.hpp"
#include "dondoc/service/tasks.hpp"
#include "dondoc/service/units.hpp"
