// A small Express app as anyone would write it for Node: nothing here knows about rtjs.
const express = require('express');

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

const notes = new Map();
let nextId = 1;

app.get('/', (req, res) => res.send('hello from express'));
app.get('/users/:name', (req, res) => res.json({ name: req.params.name, q: req.query.q ?? null }));
app.post('/notes', (req, res) => {
  if (typeof req.body.text !== 'string') return res.status(400).json({ error: 'text is required' });
  const note = { id: nextId++, text: req.body.text };
  notes.set(note.id, note);
  res.status(201).location(`/notes/${note.id}`).json(note);
});
app.get('/notes/:id', (req, res, next) => {
  const note = notes.get(Number(req.params.id));
  if (!note) return next();
  res.json(note);
});
app.post('/form', (req, res) => res.type('text').send(`${req.body.a}+${req.body.b}`));
app.get('/boom', () => { throw new Error('boom'); });

const router = express.Router();
router.get('/ping', (req, res) => res.set('X-Router', 'yes').send('pong'));
app.use('/api', router);

app.use((req, res) => res.status(404).send(`no route for ${req.method} ${req.path}`));
// eslint-disable-next-line no-unused-vars
app.use((err, req, res, next) => res.status(err.status || 500).json({ error: err.message }));

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`listening on ${port}`));
