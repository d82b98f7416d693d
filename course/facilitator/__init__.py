"""The facilitator's tools: release, the learners' bundle, slides, agendas, the demo, benchmarks."""
