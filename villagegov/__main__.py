from villagegov.cli import main

raise SystemExit(main())
