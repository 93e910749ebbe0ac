"""The Hyper-V cluster network and iSCSI doctor: a PowerShell collector run on each node,
typed host values (:mod:`model`), rules (:mod:`rules`), event explanations (:mod:`events`)
and the report (:mod:`report`). See docs/hyperv.md."""
