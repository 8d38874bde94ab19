"""Tabayyun review app: `tabayyun app` runs `streamlit run` on this file.

    streamlit run app/streamlit_app.py --server.address 127.0.0.1 --server.headless true

Environment: `TABAYYUN_DB_URL` (database), `TABAYYUN_ENCODER` (encoder name; "hashing" for
the fake test encoder), `TABAYYUN_DEMO=0` (do not prepare the demo comparison). The frame
(sidebar, repository, navigation) lives in `app.shell`, the pages in `app/views/`.
"""

from app.shell import main

main()
