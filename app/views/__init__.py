"""The pages of the review app, one script per page, run by `st.navigation` (app.shell)."""
