"""The workshop hub (facilitator side): JupyterHub and nbgrader's exchange for a room of learners.

`setup.init` writes a hub configuration beside a workshop folder (course.grader.workshop) and
creates the learners' system accounts and first-login passwords; `run.start` runs JupyterHub with
configurable-http-proxy; `exchange` wraps nbgrader's release, collect and feedback. Nothing here
authenticates, proxies or spawns: JupyterHub, NativeAuthenticator, the local process spawner and
configurable-http-proxy do. Imports course.grader; the learner side never imports this.
"""
