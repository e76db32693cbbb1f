// The OpenAPI 3.1 description of the Gloss API, served at `GET /api/v1/openapi.yaml`.
// docs/api.md is the prose version; the server tests check that the routes equal the
// document's operations and that responses validate against its schemas.
//
// Conventions used below: ids are lower-case UUID strings (`#/components/schemas/Id`), times are
// RFC 3339 (`format: date-time`), nullable values are written `type: [T, "null"]`, every 4xx is an
// `application/problem+json` Problem, and status codes are quoted so YAML keeps them as strings.

public enum OpenAPIDocument {
    public static let yaml: String = #"""
openapi: 3.1.0
info:
  title: Gloss API
  version: 1.0.0
  description: >-
    Gloss is a data-annotation server. Requesters create projects with a label schema and import
    tasks; workers lease tasks one at a time and submit annotations; results are exported as
    JSON Lines, JSON or CSV. Experts apply, take timed assessments and earn qualification tracks;
    a project's requirements decide which workers see it. Workers are paid for their active time (or
    per task) at rates that rise with their quality, through an append-only ledger and pay periods. See
    docs/api.md for the prose description.
servers:
  - url: /
security:
  - bearer: []
  - cookie: []
tags:
  - name: me
  - name: projects
  - name: tasks
  - name: taxonomies
  - name: models
  - name: chat
  - name: media
  - name: quality
    description: Gold tasks, final answers, flags, reviewers, guideline versions and the quality report.
  - name: reviews
    description: Peer review and expert verification (workers with a grant), and workers' flags.
  - name: applications
    description: Applying as an expert worker, the application's status, and qualifications.
  - name: credentials
    description: Professional credentials and their documents.
  - name: assessments
    description: Assessments, timed attempts and practice.
  - name: workforce
    description: Tracks and the worker's dashboard.
  - name: listings
    description: The public job board and its background quiz.
  - name: alerts
    description: Alerts of matching work and in-app notifications.
  - name: grading
    description: Grading written answers against their rubrics (admins).
  - name: admin
    description: Reviewing applications, credentials, qualifications, tracks, assessments and the audit log.
  - name: pay
    description: >-
      Active time, timesheets, earnings and the ledger (workers); project cost and rates (requesters);
      pay settings, pay periods, payouts and workers' ledgers (admins). See docs/pay.md.
  - name: meta

paths:
  /api/v1/me:
    get:
      operationId: getMe
      summary: The signed-in user
      tags: [me]
      responses:
        '200':
          description: The user.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
        '401':
          $ref: '#/components/responses/Unauthorized'

  /api/v1/me/hotkeys:
    put:
      operationId: putMyHotkeys
      summary: Replace the signed-in user's hotkeys
      tags: [me]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/HotkeysUpdate'
      responses:
        '200':
          description: The updated user.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects:
    get:
      operationId: listProjects
      summary: List the projects the caller may see
      description: >-
        Requesters see their organization's projects, admins see all projects, workers see the
        open ones whose requirements they meet.
      tags: [projects]
      responses:
        '200':
          description: The projects.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ProjectList'
        '401':
          $ref: '#/components/responses/Unauthorized'
    post:
      operationId: createProject
      summary: Create a project
      description: >-
        Requesters and admins. Only an admin may name another organization. A `rate_cents` below the
        base rate of a required track is a 422 naming `rate_cents`.
      tags: [projects]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ProjectCreate'
      responses:
        '201':
          description: The new project.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Project'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getProject
      summary: One project
      tags: [projects]
      responses:
        '200':
          description: The project.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Project'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'
    patch:
      operationId: updateProject
      summary: Change a project
      description: >-
        Requesters and admins. Any subset of the fields may be sent. A `rate_cents` below the base rate
        of a required track is a 422 naming `rate_cents`; `rate_cents: null` goes back to the base rate.
      tags: [projects]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ProjectUpdate'
      responses:
        '200':
          description: The updated project.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Project'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/tasks:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listTasks
      summary: A page of a project's tasks
      description: Requesters and admins. Keyset pages; pass `next_after` as `after` for the next page.
      tags: [tasks]
      parameters:
        - name: limit
          in: query
          required: false
          description: The page size.
          schema:
            type: integer
            minimum: 1
        - name: after
          in: query
          required: false
          description: The `next_after` of the previous page.
          schema:
            type: string
      responses:
        '200':
          description: A page of tasks.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaskPage'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: importTasks
      summary: Import tasks into a project
      description: >-
        Requesters and admins. All or nothing. The body is a JSON array of tasks, JSON Lines
        (one task per line), or CSV with a header row (each column is a key of `data`, except
        `external_id`).
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items:
                $ref: '#/components/schemas/TaskImport'
          application/x-ndjson:
            schema:
              type: string
              description: One TaskImport JSON object per line.
          text/csv:
            schema:
              type: string
              description: A header row, then one task per row.
      responses:
        '201':
          description: The number of imported tasks.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ImportResult'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/next:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: leaseNextTask
      summary: Lease the next task
      description: >-
        Workers. A worker who already holds an unexpired lease in the project (not named by
        `exclude`) gets that task back; 204 when no task is left for this worker. An annotation a
        reviewer rejected comes back first, as a task carrying `rework` (the reviewer's comment and
        the worker's last answer). Gold tasks are mixed in at the quality policy's rate and look like
        any other task. 403 when the worker's quality score has paused them on the project. A worker
        who does not meet the project's requirements cannot lease its tasks.
      tags: [tasks]
      parameters:
        - name: exclude
          in: query
          required: false
          description: A task id not to be handed back (the task currently on screen).
          schema:
            type: string
            format: uuid
      responses:
        '200':
          description: The leased task.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Task'
        '204':
          description: No task is left for this worker.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/projects/{id}/export:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: exportProject
      summary: Export a project's tasks and annotations
      description: >-
        Requesters and admins. Streamed. jsonl/json: one record per task; csv: one row per
        annotation (a task without annotations has one row with empty annotation columns); conll:
        IOB2 tokens of the first spans field; dpo: {prompt, chosen, rejected} pairs from rankings
        and pairwise choices; kto: {prompt, completion, label} from ratings and flags; ratings_csv
        and mqm_csv: tables (docs/formats.md); coco: COCO instances (boxes, polygons, RLE masks,
        keypoints); yolo, voc, mot and png_masks: zip archives (docs/formats.md); rttm: speaker turns of
        the segments fields (those with `speakers: true` when there are some); webvtt and srt: zip
        archives of one transcript per audio file; kitti: a zip of KITTI object labels (and calibrations)
        for point clouds whose task data holds a KITTI calibration. Image, audio and point cloud formats
        use each task's latest annotation. A format the schema cannot fill is a 422. `answers=all` exports every
        worker's current answer (rejected ones left out) with its review `status`; `answers=final`
        exports each task's final answer instead (consensus, single, reviewed, adjudicated,
        auto-accepted, or the gold answer of a gold task), marked `final: true` with its `source`,
        `confidence`, `agreement` and number of `answers`; the `X-Gloss-Answers` header says which.
      tags: [projects]
      parameters:
        - name: format
          in: query
          required: false
          schema:
            type: string
            enum: [jsonl, json, csv, conll, dpo, kto, ratings_csv, mqm_csv, coco, yolo, voc, mot, png_masks, rttm, webvtt, srt, kitti]
            default: jsonl
        - name: images
          in: query
          required: false
          description: yolo only; put the uploaded images in the zip.
          schema:
            type: boolean
            default: false
        - name: answers
          in: query
          required: false
          description: Every worker's answer, or each task's final answer only.
          schema:
            type: string
            enum: [all, final]
            default: all
      responses:
        '200':
          description: The export.
          headers:
            X-Gloss-Answers:
              description: Which answers the export carries.
              schema:
                type: string
                enum: [all, final]
          content:
            application/x-ndjson:
              schema:
                type: string
                description: One ExportRecord JSON object per line.
            application/json:
              schema:
                oneOf:
                  - type: array
                    items:
                      $ref: '#/components/schemas/ExportRecord'
                  - type: object
                    description: COCO instances (format=coco).
                    required: [images, annotations, categories]
            application/zip:
              schema:
                type: string
                format: binary
            text/csv:
              schema:
                type: string
            text/plain:
              schema:
                type: string
                description: CoNLL tokens, one "token TAG" pair a line.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/tasks/{id}/heartbeat:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: heartbeatTask
      summary: Keep a lease alive
      description: The worker holding the lease. 409 when the lease is gone.
      tags: [tasks]
      responses:
        '200':
          description: The new lease expiry.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Lease'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/tasks/{id}/skip:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: skipTask
      summary: Give a leased task back
      description: The worker holding the lease; this worker will not get the task again.
      tags: [tasks]
      responses:
        '204':
          description: Skipped.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/tasks/{id}/annotations:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listAnnotations
      summary: A task's annotations
      description: >-
        Requesters and admins see all of them, with each one's review `status`; a worker sees only
        their own, without it.
      tags: [tasks]
      responses:
        '200':
          description: The annotations.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AnnotationList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createAnnotation
      summary: Annotate a leased task
      description: >-
        The worker holding the lease (or a rework of theirs). The value is validated against the
        project's label schema and rules; 422 names the offending field. A broken hard rule is a 422; a
        broken soft rule is a 422 of type `/problems/confirm` until the annotation is sent again with
        `confirm: true`, and the confirmed annotation goes to review. A rework becomes the next version
        of the worker's annotation. The worker's own view carries no review `status`.
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/AnnotationCreate'
      responses:
        '201':
          description: The annotation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Annotation'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          description: >-
            The annotation does not fit the schema or breaks a hard rule (`field` and `errors` name the
            problems), or it breaks a soft rule: then `type` is `/problems/confirm` and sending it again
            with `confirm: true` submits it.
          content:
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'

  /api/v1/projects/{id}/media:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: uploadMedia
      summary: Upload images or videos
      description: >-
        Requesters and admins. multipart/form-data with one or more parts named `file`. The type is read
        from the bytes (PNG, JPEG, GIF, WebP; MP4, QuickTime, WebM, Matroska, AVI), images are checked
        whole and measured, videos are cut into frames with ffmpeg. Files go into a content-addressed
        blob store (SHA-256). 413 past GLOSS_MAX_MEDIA_BYTES, 415 for another type, 422 for a damaged
        file; nothing is stored when any file fails. Put the answered `url` in task data.
      tags: [media]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file:
                  type: string
                  format: binary
      responses:
        '201':
          description: The stored media, in the order of the parts.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/MediaList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
        '503':
          $ref: '#/components/responses/ServiceUnavailable'
    get:
      operationId: listMedia
      summary: The project's media, newest first
      description: Requesters and admins.
      tags: [media]
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 1000
            default: 100
      responses:
        '200':
          description: The media.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/MediaList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getMedia
      summary: The file's bytes
      description: >-
        Anyone who may see the media's project (workers: open projects). `Range` requests get 206; the
        ETag is the SHA-256, so `If-None-Match` gets 304; cached privately for a year.
      tags: [media]
      responses:
        '200':
          description: The bytes.
          content:
            image/*:
              schema:
                type: string
                format: binary
            video/*:
              schema:
                type: string
                format: binary
            audio/*:
              schema:
                type: string
                format: binary
            application/octet-stream:
              schema:
                type: string
                format: binary
        '206':
          description: The requested range.
        '304':
          description: Not modified.
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}/info:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getMediaInfo
      summary: What is known of a file
      tags: [media]
      responses:
        '200':
          description: The media.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Media'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}/frames/{frame}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: frame
        in: path
        required: true
        description: The frame number, from 0.
        schema:
          type: integer
          minimum: 0
    get:
      operationId: getMediaFrame
      summary: One frame of a video, as a JPEG
      tags: [media]
      responses:
        '200':
          description: The frame.
          content:
            image/jpeg:
              schema:
                type: string
                format: binary
        '304':
          description: Not modified.
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}/peaks:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getMediaPeaks
      summary: An audio file's waveform
      description: >-
        Signed 8-bit (min, max) pairs of the mono mix, one pair per 1/`peaks_per_second` s (see the
        media's info), amplitude = value / 127. Computed once at upload, so a long file draws at once.
      tags: [media]
      responses:
        '200':
          description: The peaks.
          content:
            application/octet-stream:
              schema:
                type: string
                format: binary
        '304':
          description: Not modified.
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}/points:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getMediaPoints
      summary: A point cloud in the compact binary the editor loads
      description: >-
        Little-endian: "GPC1", uint32 point count, uint32 flags (bit 0: intensities follow), float32
        minimum x, y, z, float32 maximum x, y, z, then x, y, z float32 per point, then (bit 0) one
        uint8 intensity per point scaled over the cloud's own range. LiDAR frame, metres.
      tags: [media]
      responses:
        '200':
          description: The points.
          content:
            application/octet-stream:
              schema:
                type: string
                format: binary
        '304':
          description: Not modified.
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/tasks/{id}/recordings:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: uploadRecording
      summary: Store a worker's recording for a task they hold
      description: >-
        Workers holding the task's lease, on a project whose schema has a recording field. One audio
        file (WAV, FLAC, MP3 or OGG; browsers' WebM/Opus recordings too) in a multipart part `file`,
        checked and measured like any audio (duration, level). The recording is the worker's: no other
        worker can fetch it. Put its `url` in the recording field's value (`{audio: url}`); the length
        and level limits are checked at submit.
      tags: [media]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file:
                  type: string
                  format: binary
      responses:
        '201':
          description: The recording.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Media'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
        '503':
          $ref: '#/components/responses/ServiceUnavailable'

  /api/v1/projects/{id}/prelabels:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: format
        in: query
        schema:
          type: string
          enum: [coco]
          default: coco
      - name: field
        in: query
        description: The boxes, polygons or keypoints field to fill (default the first such field).
        schema:
          type: string
      - name: model
        in: query
        description: The name the pre-labels carry (default `coco`).
        schema:
          type: string
    post:
      operationId: importPrelabels
      summary: Pre-labels from a COCO file for imported tasks
      description: >-
        Requesters and admins. Images are matched to tasks by file name (the uploaded media's name, the
        image URL's last segment, or `data.file_name`), categories to the field's labels by name. Every
        pre-label is checked against the schema; all or nothing. At most 256 MB.
      tags: [media]
      requestBody:
        required: true
        content:
          application/json:
            schema: {}
      responses:
        '200':
          description: What was matched.
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [matched_images, unmatched_images, annotations]
                properties:
                  matched_images:
                    type: integer
                  unmatched_images:
                    type: array
                    items:
                      type: string
                  annotations:
                    type: integer
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/taxonomies:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listTaxonomies
      summary: The project's taxonomies
      description: Requesters and admins.
      tags: [taxonomies]
      responses:
        '200':
          description: The taxonomies, by name.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaxonomyList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/taxonomies/{name}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/TaxonomyName'
    put:
      operationId: putTaxonomy
      summary: Import a taxonomy, replacing one of the same name
      description: >-
        Requesters and admins. JSON: a list of terms `{id, name, parent?, synonyms?, children?}` (flat or
        nested) or `{"terms": [...]}`. CSV: a header naming id, parent, name and optionally synonyms
        (separated by `|`). Ids are unique, parents must exist, cycles are refused; 422 names the line
        (CSV) or the term's path (JSON). At most 200,000 terms and 64 MB.
      tags: [taxonomies]
      requestBody:
        required: true
        content:
          application/json:
            schema: {}
          text/csv:
            schema:
              type: string
      responses:
        '200':
          description: What was stored.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaxonomyInfo'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/taxonomies/{name}/search:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/TaxonomyName'
      - name: q
        in: query
        description: >-
          What the worker typed: names and synonyms are matched by word prefixes, ignoring case and
          accents; exact names first, then name prefixes, synonyms, and words anywhere.
        schema:
          type: string
          maxLength: 200
      - name: parent
        in: query
        description: Without `q`, the children of this term; with neither, the roots.
        schema:
          type: string
      - name: limit
        in: query
        schema:
          type: integer
          minimum: 1
          maximum: 200
          default: 20
    get:
      operationId: searchTaxonomy
      summary: Search a taxonomy as a worker types
      description: Anyone who may see the project (workers see open projects).
      tags: [taxonomies]
      responses:
        '200':
          description: The matching terms, best first.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaxonomySearch'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/endpoints:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listModelEndpoints
      summary: The project's model endpoints
      tags: [models]
      responses:
        '200':
          description: The endpoints (keys are never returned).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ModelEndpointList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createModelEndpoint
      summary: Register a model endpoint
      description: >-
        Requesters and admins. `chat`: an OpenAI-compatible chat-completions URL that `chat` fields name.
        `prelabel`: a URL called with each task imported afterwards (`{task: {id, external_id?, data},
        project_id, schema}`), answering `{value, score?, model?}`. The key is stored encrypted
        (AES-GCM) and sent as `Authorization: Bearer`.
      tags: [models]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ModelEndpointCreate'
      responses:
        '201':
          description: The endpoint.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ModelEndpoint'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/endpoints/{endpoint}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: endpoint
        in: path
        required: true
        schema:
          type: string
          format: uuid
    patch:
      operationId: updateModelEndpoint
      summary: Change a model endpoint
      description: Any subset of the fields; `api_key` null or empty removes the key.
      tags: [models]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ModelEndpointUpdate'
      responses:
        '200':
          description: The endpoint.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ModelEndpoint'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
    delete:
      operationId: deleteModelEndpoint
      summary: Remove a model endpoint and its pre-label jobs
      tags: [models]
      responses:
        '204':
          description: Removed.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/prelabel-jobs:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: status
        in: query
        schema:
          type: string
          enum: [queued, running, done, failed]
      - name: limit
        in: query
        schema:
          type: integer
          minimum: 1
          maximum: 500
          default: 50
    get:
      operationId: listPrelabelJobs
      summary: The pre-label queue of a project
      description: >-
        Counts by status and the most recently changed jobs. A job calls one pre-label endpoint for one
        task after the import commits; slow or failing calls are retried with exponential backoff up to
        the endpoint's `max_attempts`, and `last_error` says what went wrong. A failed job leaves its task
        as imported.
      tags: [models]
      responses:
        '200':
          description: Counts and jobs.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PrelabelJobs'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/prelabel-jobs/retry:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: retryPrelabelJobs
      summary: Queue the failed pre-label jobs again
      tags: [models]
      responses:
        '200':
          description: How many jobs were queued again.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/RetryResult'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/tasks/{id}/chat/{field}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/ChatField'
    get:
      operationId: getChat
      summary: The conversation of a chat field
      description: The worker holding the task. Saved after every step, so a reload resumes it.
      tags: [chat]
      responses:
        '200':
          description: The conversation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatState'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/tasks/{id}/chat/{field}/messages:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/ChatField'
    post:
      operationId: sendChatMessage
      summary: Send the next message; the model answers twice
      description: >-
        Sends the conversation so far and the message to the field's chat endpoint in two separate
        requests; both replies become the pending turn. 502/504 when the endpoint fails or is too slow
        (the conversation is unchanged: send again), 503 when the project has no such endpoint, 409 when a
        pending turn waits for a choice or all turns are done.
      tags: [chat]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ChatMessage'
      responses:
        '200':
          description: The conversation with its pending turn.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatState'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
        '502':
          $ref: '#/components/responses/BadGateway'
        '503':
          $ref: '#/components/responses/ServiceUnavailable'
        '504':
          $ref: '#/components/responses/GatewayTimeout'

  /api/v1/tasks/{id}/chat/{field}/choice:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/ChatField'
    post:
      operationId: chooseChatReply
      summary: Pick the better reply of the pending turn
      description: >-
        Closes the pending turn: the winner, a strength (1-3) and a reason as the field asks, and `reply`
        when the worker edited the chosen reply. 422 names `choice.<key>`.
      tags: [chat]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ChatChoice'
      responses:
        '200':
          description: The conversation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatState'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/quality:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getQualityReport
      summary: The project's quality report
      description: >-
        Requesters and admins. Agreement per field (for single-choice, rating, pairwise and
        single-taxonomy fields: Krippendorff's alpha with its bootstrap interval, percentage
        agreement, Fleiss' and Cohen's kappas, per-label and per-worker figures and the label
        coincidence matrix; for every field, the mean pairwise agreement between workers, IoU-based
        for geometry), each worker's quality score with Dawid-Skene's estimate of their accuracy, the
        queues' sizes, the final answers by source and the effective quality policy. Gold tasks and
        rejected answers are left out of the figures.
      tags: [quality]
      parameters:
        - name: bootstrap
          in: query
          required: false
          description: Bootstrap resamples for alpha's 95% interval (0 for none).
          schema:
            type: integer
            minimum: 0
            maximum: 5000
            default: 1000
      responses:
        '200':
          description: The report.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/QualityReport'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/disagreements:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listDisagreements
      summary: The tasks whose answers agree least
      description: >-
        Requesters and admins. Tasks with more than one answer and no adjudicated final answer, least
        agreement first, with the consensus and the answers side by side. Adjudicate with
        `PUT /api/v1/tasks/{id}/final`.
      tags: [quality]
      parameters:
        - name: limit
          in: query
          required: false
          description: How many tasks (clamped to 1-200).
          schema:
            type: integer
            default: 20
      responses:
        '200':
          description: The disagreements.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/DisagreementList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/gold:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listGoldTasks
      summary: The project's gold tasks
      description: >-
        Requesters and admins. Each gold task with its right answer, how often it was answered and the
        mean score.
      tags: [quality]
      parameters:
        - name: limit
          in: query
          required: false
          description: How many gold tasks (clamped to 1-1000).
          schema:
            type: integer
            default: 200
      responses:
        '200':
          description: The gold tasks.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/GoldList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/tasks/{id}/gold:
    parameters:
      - $ref: '#/components/parameters/Id'
    put:
      operationId: setGold
      summary: Mark a task as gold with its right answer
      description: >-
        Requesters and admins. The answer is checked against the label schema like an annotation
        (422 names `answer.<field>`) and stored apart from the task, so nothing a worker can read
        tells a gold task from another. Workers' answers to it are scored with each type's metric.
      tags: [quality]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/GoldUpdate'
      responses:
        '200':
          description: The task's gold answer, normalized.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/GoldAnswer'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
    delete:
      operationId: unsetGold
      summary: Make a gold task a normal task again
      description: Requesters and admins. 404 when the task is not gold.
      tags: [quality]
      responses:
        '204':
          description: The task is no longer gold.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/tasks/{id}/final:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getFinalAnswer
      summary: A task's final answer
      description: Requesters and admins. 404 while the task has none (it still waits for answers).
      tags: [quality]
      responses:
        '200':
          description: The final answer.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/FinalAnswer'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    put:
      operationId: adjudicate
      summary: Adjudicate a task
      description: >-
        Requesters and admins. Sets the task's final answer to a `value` (checked against the label
        schema; 422 names `value.<field>`) or to one of the task's current answers by `annotation_id`.
        An adjudicated answer is never replaced by a later consensus.
      tags: [quality]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Adjudication'
      responses:
        '200':
          description: The new final answer.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/FinalAnswer'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/flags:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listFlags
      summary: Workers' flags on the project's tasks
      description: >-
        Requesters and admins. The newest 500, with the workers' notes and the guidelines' version they
        were raised under.
      tags: [quality]
      responses:
        '200':
          description: The flags.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/FlagList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/reviewers:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listReviewers
      summary: The project's reviewers and experts
      tags: [quality]
      responses:
        '200':
          description: The grants, by e-mail.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReviewerList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: grantReviewer
      summary: Grant a worker the reviewer or expert qualification
      description: >-
        Requesters and admins. `reviewer` works the peer-review stage; `expert` works both stages, and
        its `specialties` (lower-cased) decide which escalations and flags of a specialty reach them.
        Granting again replaces the grant. 422 when the e-mail is not a worker's account.
      tags: [quality]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ReviewerGrantCreate'
      responses:
        '201':
          description: The grant.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReviewerGrant'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/reviewers/{user_id}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: user_id
        in: path
        required: true
        description: The reviewer's user id.
        schema:
          type: string
          format: uuid
    delete:
      operationId: revokeReviewer
      summary: Take a reviewer's or expert's grant away
      tags: [quality]
      responses:
        '204':
          description: Revoked.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/guidelines/versions:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listGuidelineVersions
      summary: The versions of the project's guidelines
      description: >-
        Anyone who may see the project (workers see open projects). Every change of the guidelines is
        a new version; each annotation and flag records the version it was made under.
      tags: [quality]
      responses:
        '200':
          description: The versions.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/GuidelineVersionList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/guidelines/versions/{version}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: version
        in: path
        required: true
        description: The version number, from 1.
        schema:
          type: integer
          minimum: 1
    get:
      operationId: getGuidelineVersion
      summary: One version of the project's guidelines
      description: Anyone who may see the project. 404 for a version that does not exist.
      tags: [quality]
      responses:
        '200':
          description: The guidelines as they were.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/GuidelineVersion'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/reviews:
    get:
      operationId: listReviewQueues
      summary: The review queues the caller can work
      description: >-
        Workers (and admins). Per project the caller reviews (open projects only): their level and the
        open items per stage they may take (`expert` only for experts).
      tags: [reviews]
      responses:
        '200':
          description: The queues, by project name.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReviewQueues'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/projects/{id}/reviews/next:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: leaseNextReview
      summary: Lease the next review item
      description: >-
        Workers with the project's reviewer grant (`review` stage) or expert grant (both stages; expert
        items of a specialty go to experts holding it). The item is leased for 15 minutes; a reviewer
        who holds one gets it back. Items never name the worker. 204 when the queue is empty, 403
        without the grant, 404 when the project is not open.
      tags: [reviews]
      parameters:
        - name: stage
          in: query
          required: false
          schema:
            type: string
            enum: [review, expert]
            default: review
      responses:
        '200':
          description: The leased item.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReviewItem'
        '204':
          description: Nothing is left to review in this stage.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/reviews/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getReview
      summary: One review item
      description: Its reviewer, or a requester or admin who manages the project.
      tags: [reviews]
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReviewItem'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: decideReview
      summary: Decide a leased review item
      description: >-
        The reviewer holding the item. `accept`; `reject` with a `comment` (required: it tells the
        worker what to fix; the annotation returns to its worker as rework, or goes to another worker,
        as the policy says); `correct` with the corrected `value` (a new version; the worker's stays);
        `escalate` (peer stage only) to the experts, optionally of a `specialty`; `resolve` a flag (or,
        in the expert stage, an item), optionally setting the task's `final` answer. 409 when the lease
        ran out or the item was decided.
      tags: [reviews]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ReviewDecision'
      responses:
        '200':
          description: The decided item.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReviewItem'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/tasks/{id}/flags:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: flagTask
      summary: Flag a task
      description: >-
        A worker who holds or annotated the task. The flag, with its note and the guidelines' version,
        goes to the expert queue (of the `specialty`, when given) and to the requester's flag list.
      tags: [reviews]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/FlagCreate'
      responses:
        '201':
          description: The flag.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Flag'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/tracks:
    get:
      operationId: listTracks
      summary: The qualification tracks with their base rates
      description: >-
        Public. Every track (general, multilingual, coding, STEM and professional fields) with its base
        hourly rate in cents, its eligibility rule (data an admin edits) in JSON and in plain English,
        and the assessments that unlock it.
      tags: [workforce]
      security: []
      responses:
        '200':
          description: The tracks.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TrackList'

  /api/v1/applications:
    post:
      operationId: createApplication
      summary: Apply to work as an expert
      description: >-
        Public. Creates a worker account with status `applicant` and a draft application (the profile is
        optional and may be partial: it is saved, not submitted). Answers a bearer token and sets a
        session cookie, so the browser is signed in. An e-mail already taken is a 409 naming `email`;
        other invalid input is a 422 naming every field.
      tags: [applications]
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ApplicationCreate'
      responses:
        '201':
          description: The application and a token.
          headers:
            Set-Cookie:
              description: The session cookie `gloss_session`.
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ApplicationCreated'
        '400':
          $ref: '#/components/responses/BadRequest'
        '403':
          $ref: '#/components/responses/Forbidden'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/listings:
    get:
      operationId: listListings
      summary: The public job board
      description: >-
        Public. The open projects their requesters chose to list, with what each listing shows (the rate
        is null when hidden). Filters: `track` (a track id), `language` (a language code),
        `profession` (a track family or a sub-domain word such as "law" or "chemistry") and
        `min_rate_cents`.
      tags: [listings]
      security: []
      parameters:
        - name: track
          in: query
          required: false
          schema:
            type: string
        - name: language
          in: query
          required: false
          schema:
            type: string
        - name: profession
          in: query
          required: false
          schema:
            type: string
        - name: min_rate_cents
          in: query
          required: false
          schema:
            type: integer
            minimum: 0
      responses:
        '200':
          description: The listings.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ListingList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/listings/quiz:
    post:
      operationId: takeListingQuiz
      summary: Which tracks fit a background
      description: >-
        Public. The "what is your background?" quiz: every track, best fit first, judged by the same
        matcher as the dashboard, with the reasons and the assessments to take.
      tags: [listings]
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/QuizAnswers'
      responses:
        '200':
          description: The tracks, best fit first.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/QuizResult'
        '400':
          $ref: '#/components/responses/BadRequest'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/alerts/unsubscribe:
    post:
      operationId: unsubscribeAlerts
      summary: Turn a worker's alerts off with the token of an alert e-mail
      description: Public; the token in the e-mail's unsubscribe link is the authority. 404 for an unknown token.
      tags: [alerts]
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [token]
              properties:
                token:
                  type: string
                  minLength: 1
      responses:
        '200':
          description: Alerts are off.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AlertSettings'
        '400':
          $ref: '#/components/responses/BadRequest'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/application:
    get:
      operationId: getMyApplication
      summary: The signed-in worker's application
      tags: [applications]
      responses:
        '200':
          description: The application.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Application'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    put:
      operationId: saveMyApplication
      summary: Save the application as a draft
      description: >-
        Workers, only while their status is `applicant` (409 otherwise). The profile may be partial; the
        types, ranges and formats of what is present are checked (422 naming each path, e.g.
        `profile.education[1].year`).
      tags: [applications]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ApplicationUpdate'
      responses:
        '200':
          description: The saved application.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Application'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/application/submit:
    post:
      operationId: submitMyApplication
      summary: Submit the application
      description: >-
        Workers with status `applicant`. The saved profile must be complete: a 422 names every missing
        or invalid field path (e.g. `profile.languages`). Submitting makes the starter assessment of the
        applicant's path available.
      tags: [applications]
      responses:
        '200':
          description: The submitted application.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Application'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/credentials:
    get:
      operationId: listMyCredentials
      summary: The signed-in worker's credentials
      tags: [credentials]
      responses:
        '200':
          description: The credentials, newest first.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/CredentialList'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
    post:
      operationId: uploadMyCredential
      summary: Add a professional credential with its document
      description: >-
        Workers. multipart/form-data: the fields `type`, `issuer`, `number`, `year`, `expires_on`
        (YYYY-MM-DD, optional) and the file `document` (PDF, PNG or JPEG, read from the bytes; at most
        4 MB). The credential is `pending` until an admin verifies it; an unverified or expired
        credential grants nothing.
      tags: [credentials]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [type, issuer, number, document]
              properties:
                type:
                  type: string
                  description: For example `bar_admission`, `cfa`, `cpa`, `medical_licence`.
                issuer:
                  type: string
                number:
                  type: string
                year:
                  type: integer
                expires_on:
                  type: string
                  format: date
                document:
                  type: string
                  format: binary
            encoding:
              document:
                contentType: application/pdf, image/png, image/jpeg
      responses:
        '201':
          description: The credential.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Credential'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/credentials/{id}/document:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getCredentialDocument
      summary: A credential's uploaded document
      description: Its owner or an admin; anyone else gets a 404.
      tags: [credentials]
      responses:
        '200':
          description: The file.
          content:
            application/pdf:
              schema:
                type: string
                format: binary
            image/png:
              schema:
                type: string
                format: binary
            image/jpeg:
              schema:
                type: string
                format: binary
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/me/qualifications:
    get:
      operationId: listMyQualifications
      summary: The signed-in worker's qualifications
      description: >-
        Workers. `active` says whether the track's eligibility rule holds now (for example a verified,
        unexpired credential), with the reason when it does not.
      tags: [applications]
      responses:
        '200':
          description: The qualifications.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/QualificationList'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/assessments:
    get:
      operationId: listAssessments
      summary: The assessments the signed-in worker may take
      description: >-
        Workers: the starter assessment of their path, the specialist assessments and the practice sets,
        each with the attempts used, whether one can be started now (and why not), and the latest attempt.
      tags: [assessments]
      responses:
        '200':
          description: The assessments.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AssessmentSummaryList'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/assessments/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getAssessment
      summary: One assessment with its public items
      description: The items carry no gold answer, no rubric, no explanation.
      tags: [assessments]
      responses:
        '200':
          description: The assessment.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AssessmentDetail'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/assessments/{id}/attempts:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: startAttempt
      summary: Start an attempt (the clock starts now)
      description: >-
        Workers. 409 when no attempt is left (a starter assessment allows exactly one, per normalised
        e-mail, enforced in the database), when one is already in progress, or, for a starter, when the
        application is not submitted (the problem says why). Starting the starter moves an applicant to
        `assessing`.
      tags: [assessments]
      responses:
        '201':
          description: The new attempt.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Attempt'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/attempts/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getAttempt
      summary: An attempt, with the time left and the saved answers
      description: Its taker or an admin. The result never carries a gold answer or a rubric.
      tags: [assessments]
      responses:
        '200':
          description: The attempt.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Attempt'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/attempts/{id}/answers:
    parameters:
      - $ref: '#/components/parameters/Id'
    put:
      operationId: saveAttemptAnswers
      summary: Save answers as the taker goes
      description: >-
        The taker. The answers are merged into the saved ones. 409 once submitted; 403 of type
        `/problems/time-up` after the deadline; 422 for a bad answer, naming `answers.<item>`.
      tags: [assessments]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/AnswersSave'
      responses:
        '200':
          description: Saved.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AnswersSaved'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/attempts/{id}/submit:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: submitAttempt
      summary: Submit an attempt, exactly once
      description: >-
        The taker, with the last answers optionally. Accepted exactly once: 409 when already submitted
        (of concurrent submits one wins), 403 of type `/problems/time-up` after the deadline plus a
        grace of 5 seconds. The answer carries the result: passed or failed when the rules decide,
        `pending` while written answers await a grader, `review` when an admin decides.
      tags: [assessments]
      requestBody:
        required: false
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/AttemptSubmit'
      responses:
        '200':
          description: The submitted attempt with its result.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Attempt'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/practice/{track}:
    parameters:
      - $ref: '#/components/parameters/Track'
    get:
      operationId: getPractice
      summary: A track's practice items
      description: Workers. Practice never counts as gold and grants nothing.
      tags: [assessments]
      responses:
        '200':
          description: The practice items.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PracticeSet'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/practice/{track}/check:
    parameters:
      - $ref: '#/components/parameters/Track'
    post:
      operationId: checkPracticeAnswer
      summary: Check a practice answer
      description: >-
        Workers. Practice items only: answers the score, the right answer and an explanation (as the
        training pools of crowdsourcing platforms do). Items of real assessments are a 404.
      tags: [assessments]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/PracticeAnswer'
      responses:
        '200':
          description: The check.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PracticeCheck'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/dashboard:
    get:
      operationId: getDashboard
      summary: The worker's dashboard
      description: >-
        Workers. Approved workers get the projects whose requirements they meet (rate, expected time per
        task, work left, requirements, deliverables, guidelines and a self-explaining match) and the
        projects they are close to (with what is missing and the assessments to take); others get an
        empty `projects` list and their assessments. Quality is as of the start of today (UTC), so no
        single answer can be traced.
      tags: [workforce]
      responses:
        '200':
          description: The dashboard.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Dashboard'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/me/alerts:
    get:
      operationId: getMyAlerts
      summary: Whether the worker gets alerts of matching work
      tags: [alerts]
      responses:
        '200':
          description: The setting.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AlertSettings'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
    put:
      operationId: putMyAlerts
      summary: Opt into or out of alerts
      description: >-
        Workers. When a project opens or grows, matching workers who opted in get a notification and an
        e-mail, once per project.
      tags: [alerts]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/AlertSettings'
      responses:
        '200':
          description: The setting.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AlertSettings'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/notifications:
    get:
      operationId: listMyNotifications
      summary: The signed-in user's in-app notifications
      tags: [alerts]
      responses:
        '200':
          description: The notifications, newest first, and the number unread.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/NotificationList'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/me/notifications/read:
    post:
      operationId: markMyNotificationsRead
      summary: Mark notifications read
      description: The ids given, or all of them when `ids` is left out.
      tags: [alerts]
      requestBody:
        required: false
        content:
          application/json:
            schema:
              type: object
              properties:
                ids:
                  type: array
                  items:
                    $ref: '#/components/schemas/Id'
      responses:
        '200':
          description: The number still unread.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/UnreadCount'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/reach:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getProjectReach
      summary: How many workers the project's requirements reach
      description: >-
        Requesters and admins, before launching: the approved workers who meet the requirements, their
        total weekly availability in hours, and the workers close to qualifying.
      tags: [projects]
      responses:
        '200':
          description: The reach.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Reach'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/admin/applications:
    get:
      operationId: adminListApplications
      summary: Applications to review
      description: Admins.
      tags: [admin]
      parameters:
        - name: status
          in: query
          required: false
          schema:
            $ref: '#/components/schemas/WorkerStatus'
      responses:
        '200':
          description: The applications.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ApplicationSummaryList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/applications/{user_id}:
    parameters:
      - $ref: '#/components/parameters/UserId'
    get:
      operationId: adminGetApplication
      summary: One application, with its attempts' results
      description: Admins.
      tags: [admin]
      responses:
        '200':
          description: The application.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Application'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/admin/applications/{user_id}/status:
    parameters:
      - $ref: '#/components/parameters/UserId'
    post:
      operationId: adminSetApplicationStatus
      summary: Approve, reject, suspend or send back to assessing, with a reason
      description: >-
        Admins. The change is recorded in the history with who made it and when, the worker gets a
        notification and an e-mail (to the outbox), and the audit log records it. 409 for a change the
        status cannot make.
      tags: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/StatusChange'
      responses:
        '200':
          description: The application.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Application'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/attempts/{id}/decision:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: adminDecideAttempt
      summary: Decide an attempt in the pass rule's review band
      description: >-
        Admins. Passes or fails an attempt whose status is `review`, with a reason; a pass grants the
        tracks the assessment unlocks. For a starter attempt the applicant is approved or rejected too.
        409 when the attempt is not waiting for a decision.
      tags: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [verdict, reason]
              properties:
                verdict:
                  type: string
                  enum: [passed, failed]
                reason:
                  type: string
                  minLength: 1
      responses:
        '200':
          description: The attempt, decided.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Attempt'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/credentials:
    get:
      operationId: adminListCredentials
      summary: Credentials to verify
      description: Admins. Each credential names its user.
      tags: [admin]
      parameters:
        - name: status
          in: query
          required: false
          schema:
            type: string
            enum: [pending, verified, rejected]
      responses:
        '200':
          description: The credentials.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AdminCredentialList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/credentials/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: adminReviewCredential
      summary: Verify or reject a credential
      description: Admins. Recorded in the audit log.
      tags: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/CredentialReview'
      responses:
        '200':
          description: The credential.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Credential'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/users/{user_id}/qualifications:
    parameters:
      - $ref: '#/components/parameters/UserId'
    post:
      operationId: adminGrantQualification
      summary: Grant a worker a track by hand
      description: Admins, with a reason; recorded in the audit log.
      tags: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/QualificationGrant'
      responses:
        '201':
          description: The qualification.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Qualification'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/users/{user_id}/qualifications/{track}:
    parameters:
      - $ref: '#/components/parameters/UserId'
      - $ref: '#/components/parameters/Track'
    delete:
      operationId: adminRevokeQualification
      summary: Take a qualification away
      description: Admins; recorded in the audit log.
      tags: [admin]
      responses:
        '204':
          description: Revoked.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/admin/tracks/{id}:
    parameters:
      - name: id
        in: path
        required: true
        description: A track id such as `stem.chemistry`.
        schema:
          $ref: '#/components/schemas/TrackId'
    patch:
      operationId: adminUpdateTrack
      summary: Edit a track's name, base rate or eligibility rule
      description: Admins; recorded in the audit log.
      tags: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/TrackUpdate'
      responses:
        '200':
          description: The track.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Track'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/assessments:
    get:
      operationId: adminListAssessments
      summary: Every assessment
      description: Admins.
      tags: [admin]
      responses:
        '200':
          description: The assessments.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AssessmentSummaryList'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
    post:
      operationId: adminCreateAssessment
      summary: Create an assessment
      description: >-
        Admins. The definition's items and pass rule are validated (the gold of an annotation item
        against its schema); 422 names the path, e.g. `definition.items[3].gold.sentiment`. 409 for a
        slug in use.
      tags: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/AssessmentCreate'
      responses:
        '201':
          description: The assessment with its full definition.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AdminAssessment'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/assessments/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: adminGetAssessment
      summary: One assessment with its full definition (gold answers and rubrics included)
      description: Admins only.
      tags: [admin]
      responses:
        '200':
          description: The assessment.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AdminAssessment'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/grading:
    get:
      operationId: listGrading
      summary: The grading queue
      description: Admins. Submitted attempts with written answers still to grade, oldest first.
      tags: [grading]
      responses:
        '200':
          description: The queue.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/GradingQueue'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/grading/{attempt_id}:
    parameters:
      - $ref: '#/components/parameters/AttemptId'
    get:
      operationId: getGrading
      summary: An attempt's written answers with their rubrics
      description: Admins.
      tags: [grading]
      responses:
        '200':
          description: The attempt to grade.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Grading'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: gradeItem
      summary: Grade one written answer against its rubric
      description: >-
        Admins. Points per criterion (each between 0 and the criterion's points; 422 names
        `points.<criterion>`). When the last written item is graded the pass rule decides; in the review
        band the attempt waits for an admin's status decision. 409 when the attempt is not awaiting
        grading.
      tags: [grading]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/GradeCreate'
      responses:
        '200':
          description: The attempt to grade, with the new grade.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Grading'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/audit:
    get:
      operationId: adminListAudit
      summary: The audit log, newest first
      description: Admins. Every admin action (status changes, grades, credentials, qualifications, tracks).
      tags: [admin]
      parameters:
        - name: limit
          in: query
          required: false
          schema:
            type: integer
            minimum: 1
            default: 100
      responses:
        '200':
          description: The events.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AuditLog'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/tasks/{id}/activity:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: postTaskActivity
      summary: Report active time on a leased task (an activity ping)
      description: >-
        The worker holding the lease on the task (or its open rework). The labeling page sends one every
        `activity_seconds` while it has unsent active time, at once when the tab is hidden, and before
        submit and skip. The server places the claim so that it ends when the idle window ran out (`end = now -
        max(0, idle_s - idle window)`) and credits the part of `[end - active_s, end]` that lies after both the lease's start and the end of the last interval credited to this worker (any
        tab, any task), so no instant is paid twice; a `seq` not above the last one seen for this tab credits
        nothing. Separate from the lease heartbeat. 409 when the worker holds no active lease (and no open
        rework) on the task. See docs/pay.md.
      tags: [pay]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ActivityPing'
      responses:
        '200':
          description: What this ping credited and the worker's active time on the task so far.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ActivityCredit'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/timesheet:
    get:
      operationId: getMyTimesheet
      summary: The worker's timesheet
      description: >-
        Workers. Active time, tasks and earnings per day (UTC) and project, newest day first; days with no
        time, no task and no note are left out. Time the quality policy rejects is listed with its reason
        and earns nothing. Without `from`/`to`: the last 14 days up to today; at most 92 days (422 naming
        `from` or `to` otherwise).
      tags: [pay]
      parameters:
        - name: from
          in: query
          required: false
          description: The first day, YYYY-MM-DD (UTC).
          schema:
            type: string
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
        - name: to
          in: query
          required: false
          description: The last day, YYYY-MM-DD (UTC); default today.
          schema:
            type: string
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
      responses:
        '200':
          description: The timesheet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Timesheet'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/timesheet/{day}/note:
    parameters:
      - $ref: '#/components/parameters/Day'
    put:
      operationId: putMyTimesheetNote
      summary: Write the worker's note on a day of the timesheet
      description: >-
        Workers. At most 2000 characters; an empty note deletes it. A day that is not YYYY-MM-DD or is in
        the future is a 422 naming `day`.
      tags: [pay]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/TimesheetNoteUpdate'
      responses:
        '200':
          description: The day's note.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TimesheetNote'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/me/earnings:
    get:
      operationId: getMyEarnings
      summary: The worker's balance, this period's earnings and the rate on each project
      description: >-
        Workers, their own only. The balance is the sum of the worker's ledger entries (payouts are
        negative); `pending_cents` values active time not yet posted. Each rate says where the base comes
        from (the project's rate or the worker's track floor), what the quality multiplier is and why, and
        what raises it.
      tags: [pay]
      responses:
        '200':
          description: The earnings.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Earnings'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'

  /api/v1/me/ledger:
    get:
      operationId: getMyLedger
      summary: The worker's ledger entries, newest first
      description: Workers, their own only. Keyset pages; pass `next` as `before` for the next page.
      tags: [pay]
      parameters:
        - name: limit
          in: query
          required: false
          description: The page size.
          schema:
            type: integer
            minimum: 1
            maximum: 200
            default: 50
        - name: before
          in: query
          required: false
          description: The `next` of the previous page (an entry id).
          schema:
            type: string
      responses:
        '200':
          description: The entries.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/LedgerPage'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/cost:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getProjectCost
      summary: What a project has cost, and what finishing it will cost
      description: >-
        Requesters (their organization's projects) and admins. Spend to date (the project's ledger entries
        and the time not yet posted), hours, cost per accepted annotation, and a forecast: remaining
        annotations x the median active time per accepted annotation over the last 7 days x the current
        rate (or remaining x the task amount on a per-task project). `days` lists every day of the window,
        oldest first.
      tags: [pay]
      parameters:
        - name: days
          in: query
          required: false
          description: The window of the `days` list, ending today (UTC).
          schema:
            type: integer
            minimum: 1
            maximum: 366
            default: 30
      responses:
        '200':
          description: The cost.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ProjectCost'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/cost/chart.svg:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getProjectCostChart
      summary: The project's spend and throughput per day, as an SVG chart
      description: >-
        Requesters and admins. Bars are spend per day (left axis, dollars), the line is accepted
        annotations per day (right axis); drawn by the server, no script and no external reference. The
        same chart the cost page shows.
      tags: [pay]
      parameters:
        - name: days
          in: query
          required: false
          schema:
            type: integer
            minimum: 1
            maximum: 366
            default: 30
      responses:
        '200':
          description: The chart.
          content:
            image/svg+xml:
              schema:
                type: string
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/rates:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getProjectRates
      summary: The project's rate in force and its rate history
      description: Requesters (their organization's projects) and admins.
      tags: [pay]
      responses:
        '200':
          description: The rate in force and every change.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/RateHistory'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createProjectRateChange
      summary: Change how a project pays, from a moment on
      description: >-
        Requesters and admins. A change applies from `effective_at` (default now) and never backwards: an
        `effective_at` more than 60 s in the past is a 422 naming `effective_at`. An hourly `rate_cents`
        below the project's minimum (the base rate of its required tracks) is a 422 naming `rate_cents`
        (`null` or left out = the minimum); `per_task` needs `task_rate_cents` from 1 to 1,000,000.
      tags: [pay]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/RateChangeCreate'
      responses:
        '201':
          description: The change.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/RateChange'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/pay/settings:
    get:
      operationId: adminGetPaySettings
      summary: The pay settings (quality bands, reviewed minimum, idle window, period length)
      description: Admins.
      tags: [pay]
      responses:
        '200':
          description: The full effective settings.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PaySettings'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
    put:
      operationId: adminPutPaySettings
      summary: Replace the pay settings
      description: >-
        Admins; the whole settings. 1 to 8 bands, the first at `min_quality` 0, each above the one before,
        multipliers from 1 to 10 (at most 4 decimals) never going down; 422 names the path
        (`bands[1].multiplier`). New multipliers apply to time credited from now on.
      tags: [pay]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/PaySettings'
      responses:
        '200':
          description: The settings.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PaySettings'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/pay-periods:
    get:
      operationId: adminListPayPeriods
      summary: Closed pay periods, the end the next close defaults to, and what is unpaid
      description: Admins.
      tags: [pay]
      responses:
        '200':
          description: The periods.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PayPeriodList'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
    post:
      operationId: adminClosePayPeriod
      summary: Close a pay period and compute each worker's payout
      description: >-
        Admins. Posts the open time that ended before `ends_at` (default `next_end`), then pays every
        worker the sum of their unpaid entries earned before it: one payout entry each, the entries marked
        paid.
        Idempotent: the same `ends_at` again answers 200 with `already_closed: true` and the same payouts,
        and pays nothing twice. An `ends_at` before the last closed end is a 409, as is a close without
        `ends_at` when `next_end` is null; one in the future is a 422 naming `ends_at`. A worker whose
        unpaid sum is not above zero is not paid; it carries over.
      tags: [pay]
      requestBody:
        required: false
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/PayPeriodClose'
      responses:
        '200':
          description: This period was already closed; nothing more was paid.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PayPeriodClosed'
        '201':
          description: The period, closed now, with its payouts.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PayPeriodClosed'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/admin/pay-periods/{period_id}:
    parameters:
      - $ref: '#/components/parameters/PeriodId'
    get:
      operationId: adminGetPayPeriod
      summary: One closed pay period with its payouts
      description: Admins.
      tags: [pay]
      responses:
        '200':
          description: The period.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PayPeriodDetail'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/admin/pay-periods/{period_id}/payouts.csv:
    parameters:
      - $ref: '#/components/parameters/PeriodId'
    get:
      operationId: adminExportPayouts
      summary: A closed period's payout file
      description: >-
        Admins. One row per worker paid, after the header
        `period_start,period_end,worker_id,name,email,amount_cents,amount,currency,entries` (lines end in
        CRLF); `amount` is dollars with two decimals ("123.45"). Values are CSV-quoted where needed, and a
        value other than a number that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
        prefixed with `'` so a spreadsheet does not run it as a formula.
      tags: [pay]
      responses:
        '200':
          description: The CSV file.
          content:
            text/csv:
              schema:
                type: string
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/admin/workers/{user_id}/ledger:
    parameters:
      - $ref: '#/components/parameters/UserId'
    get:
      operationId: adminGetWorkerLedger
      summary: A worker's ledger and balance
      description: Admins. Like `GET /api/v1/me/ledger`, with the worker's balance.
      tags: [pay]
      parameters:
        - name: limit
          in: query
          required: false
          description: The page size.
          schema:
            type: integer
            minimum: 1
            maximum: 200
            default: 50
        - name: before
          in: query
          required: false
          description: The `next` of the previous page (an entry id).
          schema:
            type: string
      responses:
        '200':
          description: The entries, newest first, and the balance.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WorkerLedgerPage'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
    post:
      operationId: adminCreateLedgerEntry
      summary: Add a bonus or an adjustment to a worker's ledger
      description: >-
        Admins, with a reason (1 to 500 characters). A bonus is positive; an adjustment is any amount but
        zero. Nothing already in the ledger changes: a correction is a new entry.
      tags: [pay]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/LedgerEntryCreate'
      responses:
        '201':
          description: The entry.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/LedgerEntry'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/openapi.yaml:
    get:
      operationId: getOpenAPIDocument
      summary: This document
      tags: [meta]
      security: []
      responses:
        '200':
          description: The OpenAPI document.
          content:
            application/yaml:
              schema:
                type: string
            application/x-yaml:
              schema:
                type: string
            text/yaml:
              schema:
                type: string
            text/plain:
              schema:
                type: string

  /healthz:
    get:
      operationId: getHealth
      summary: Liveness
      tags: [meta]
      security: []
      responses:
        '200':
          description: The process is alive.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Health'
            text/plain:
              schema:
                type: string

  /readyz:
    get:
      operationId: getReadiness
      summary: Readiness (the database is reachable)
      tags: [meta]
      security: []
      responses:
        '200':
          description: Ready to serve.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Health'
            text/plain:
              schema:
                type: string
        '503':
          description: Not ready (the database is unreachable).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Health'
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'
            text/plain:
              schema:
                type: string

  /metrics:
    get:
      operationId: getMetrics
      summary: Prometheus metrics
      tags: [meta]
      security: []
      responses:
        '200':
          description: Metrics in the Prometheus text exposition format.
          content:
            text/plain:
              schema:
                type: string

components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: A token from `gloss token create --email E`.
    cookie:
      type: apiKey
      in: cookie
      name: gloss_session
      description: >-
        The session cookie set by the sign-in page. Writes (POST, PUT, PATCH, DELETE) must also
        send the session's CSRF token in the `X-CSRF-Token` header.

  parameters:
    TaxonomyName:
      name: name
      in: path
      required: true
      schema:
        type: string
        pattern: '^[a-z0-9_-]{1,64}$'
    ChatField:
      name: field
      in: path
      required: true
      description: The name of a chat field of the project's schema.
      schema:
        type: string
    Id:
      name: id
      in: path
      required: true
      schema:
        type: string
        format: uuid
    UserId:
      name: user_id
      in: path
      required: true
      description: A worker's user id.
      schema:
        type: string
        format: uuid
    AttemptId:
      name: attempt_id
      in: path
      required: true
      schema:
        type: string
        format: uuid
    Track:
      name: track
      in: path
      required: true
      description: A track id such as `stem.chemistry`.
      schema:
        $ref: '#/components/schemas/TrackId'
    PeriodId:
      name: period_id
      in: path
      required: true
      description: A pay period's id.
      schema:
        type: string
        format: uuid
    Day:
      name: day
      in: path
      required: true
      description: A day in UTC, YYYY-MM-DD; anything else, or a day in the future, is a 422 naming `day`.
      schema:
        type: string

  responses:
    BadRequest:
      description: The request is malformed.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Unauthorized:
      description: Not signed in.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Forbidden:
      description: The caller's role may not use this route, or the CSRF token is missing or wrong.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    NotFound:
      description: No such resource, or one the caller may not see.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Conflict:
      description: The request conflicts with the current state (for example the lease is gone).
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    PayloadTooLarge:
      description: The body is past the size limit.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    UnsupportedMediaType:
      description: The body's content type is not supported.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    BadGateway:
      description: A model endpoint failed or answered something unusable.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    ServiceUnavailable:
      description: Something the request needs is missing on the server (a model endpoint, ffmpeg).
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    GatewayTimeout:
      description: A model endpoint did not answer within its time limit.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    UnprocessableContent:
      description: The body is well-formed but invalid; `field` and `line` name the first problem.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'

  schemas:
    Id:
      type: string
      format: uuid
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      description: A random UUID, lower-case.

    Timestamp:
      type: string
      format: date-time
      description: An RFC 3339 time in UTC.

    User:
      type: object
      additionalProperties: false
      required: [id, email, name, role, organization_id, hotkeys]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        email:
          type: string
        name:
          type: string
        role:
          type: string
          enum: [admin, requester, worker]
        organization_id:
          type: [string, "null"]
          format: uuid
        hotkeys:
          type: object
          description: Action name to key.
          additionalProperties:
            type: string

    HotkeysUpdate:
      type: object
      required: [hotkeys]
      properties:
        hotkeys:
          type: object
          description: Action name to key.
          additionalProperties: false
          properties:
            submit: {type: string}
            skip: {type: string}
            undo: {type: string}
            redo: {type: string}
            option_1: {type: string}
            option_2: {type: string}
            option_3: {type: string}
            option_4: {type: string}
            option_5: {type: string}
            option_6: {type: string}
            option_7: {type: string}
            option_8: {type: string}
            option_9: {type: string}

    Progress:
      type: object
      additionalProperties: false
      required: [tasks_total, tasks_done, annotations, annotations_required]
      properties:
        tasks_total:
          type: integer
          minimum: 0
        tasks_done:
          type: integer
          minimum: 0
          description: Tasks with `overlap` annotations.
        annotations:
          type: integer
          minimum: 0
        annotations_required:
          type: integer
          minimum: 0

    Project:
      type: object
      additionalProperties: false
      required:
        - id
        - organization_id
        - name
        - schema
        - guidelines
        - guidelines_html
        - overlap
        - lease_seconds
        - status
        - guidelines_version
        - created_at
        - updated_at
      description: >-
        A worker's view leaves out `quality_policy` and `progress` (they would tell when gold is due and
        which task was gold); requesters and admins always get both. The workforce members
        (`requirements`, `rate_cents`, `rate_set`, `listing`, `expected_seconds_per_task`) are always
        there for requesters and admins; a worker's view may leave out `listing`.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        organization_id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        schema:
          type: object
          description: 'The label schema: {"fields": [...]}; the field types and their values are in docs/fields.md.'
        guidelines:
          type: string
          description: Markdown.
        guidelines_html:
          type: string
          description: The guidelines rendered to HTML.
        overlap:
          type: integer
          minimum: 1
          description: Annotations wanted per task.
        lease_seconds:
          type: integer
          minimum: 1
        status:
          type: string
          enum: [open, paused, closed]
        guidelines_version:
          type: integer
          minimum: 1
          description: The current version of the guidelines; each change is a new version.
        quality_policy:
          $ref: '#/components/schemas/QualityPolicy'
        created_at:
          $ref: '#/components/schemas/Timestamp'
        updated_at:
          $ref: '#/components/schemas/Timestamp'
        progress:
          $ref: '#/components/schemas/Progress'
        requirements:
          $ref: '#/components/schemas/Requirements'
        rate_cents:
          type: integer
          minimum: 0
          description: >-
            The effective hourly rate in cents: the rate the requester set, or the highest base rate of
            the required tracks.
        rate_set:
          type: boolean
          description: Whether the requester set the rate (false = the tracks' base rate applies).
        listing:
          $ref: '#/components/schemas/ListingSettings'
        expected_seconds_per_task:
          type: [integer, "null"]
          minimum: 1
          description: The expected time per task, shown to workers and on the job board.

    ProjectList:
      type: object
      additionalProperties: false
      required: [projects]
      properties:
        projects:
          type: array
          items:
            $ref: '#/components/schemas/Project'

    ProjectCreate:
      type: object
      required: [name, schema]
      properties:
        name:
          type: string
          minLength: 1
        schema:
          type: object
        guidelines:
          type: string
        overlap:
          type: integer
          minimum: 1
        lease_seconds:
          type: integer
          minimum: 1
        organization_id:
          type: string
          format: uuid
          description: Admins only.
        quality_policy:
          $ref: '#/components/schemas/QualityPolicyInput'
        requirements:
          $ref: '#/components/schemas/Requirements'
        rate_cents:
          type: [integer, "null"]
          minimum: 0
          description: >-
            The hourly rate in cents; null = the base rate of the required tracks. Below the base rate of a
            required track is a 422 naming `rate_cents`.
        listing:
          $ref: '#/components/schemas/ListingSettingsInput'
        expected_seconds_per_task:
          type: [integer, "null"]
          minimum: 1

    ProjectUpdate:
      type: object
      properties:
        name:
          type: string
          minLength: 1
        schema:
          type: object
        guidelines:
          type: string
        overlap:
          type: integer
          minimum: 1
        lease_seconds:
          type: integer
          minimum: 1
        status:
          type: string
          enum: [open, paused, closed]
        quality_policy:
          $ref: '#/components/schemas/QualityPolicyInput'
        requirements:
          $ref: '#/components/schemas/Requirements'
        rate_cents:
          type: [integer, "null"]
          minimum: 0
          description: >-
            The hourly rate in cents; null = the base rate of the required tracks. Below the base rate of a
            required track is a 422 naming `rate_cents`.
        listing:
          $ref: '#/components/schemas/ListingSettingsInput'
        expected_seconds_per_task:
          type: [integer, "null"]
          minimum: 1

    Prelabel:
      type: object
      required: [model, value]
      properties:
        model:
          type: string
        score:
          type: [number, "null"]
        value:
          type: object
          description: A label value keyed by field name.

    TaskImport:
      type: object
      required: [data]
      properties:
        data:
          type: object
        external_id:
          type: [string, "null"]
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        priority:
          type: integer

    ImportResult:
      type: object
      additionalProperties: false
      required: [imported]
      properties:
        imported:
          type: integer
          minimum: 0

    Task:
      type: object
      description: A leased task, as a worker sees it (a gold task looks the same).
      additionalProperties: false
      required: [id, external_id, data, prelabels, lease_expires_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        lease_expires_at:
          $ref: '#/components/schemas/Timestamp'
        rework:
          type: object
          description: >-
            Present when a reviewer rejected the worker's annotation of this task: their comment and the
            worker's last answer. Submitting makes the next version; skipping declines the rework.
          additionalProperties: false
          required: [comment, value]
          properties:
            comment:
              type: string
            value:
              type: [object, "null"]

    TaskSummary:
      type: object
      additionalProperties: false
      required: [id, external_id, data, prelabels, priority, target, annotation_count, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        priority:
          type: integer
        target:
          type: integer
          minimum: 0
          description: Annotations wanted for this task.
        annotation_count:
          type: integer
          minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'

    TaskPage:
      type: object
      additionalProperties: false
      required: [tasks, next_after]
      properties:
        tasks:
          type: array
          items:
            $ref: '#/components/schemas/TaskSummary'
        next_after:
          type: [string, "null"]
          description: Pass as `after` for the next page; null on the last page.

    Lease:
      type: object
      additionalProperties: false
      required: [lease_expires_at]
      properties:
        lease_expires_at:
          $ref: '#/components/schemas/Timestamp'

    AnnotationCreate:
      type: object
      required: [value]
      properties:
        value:
          type: object
          description: A label value keyed by field name.
        time_spent_s:
          type: number
          minimum: 0
        confirm:
          type: boolean
          default: false
          description: Submit although a soft rule of the project is broken (the annotation goes to review).

    Annotation:
      type: object
      additionalProperties: false
      required: [id, task_id, project_id, worker, version, guidelines_version, value, time_spent_s, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        task_id:
          $ref: '#/components/schemas/Id'
        project_id:
          $ref: '#/components/schemas/Id'
        worker:
          type: string
          description: The worker's e-mail.
        version:
          type: integer
          minimum: 1
          description: The version in the annotation's chain (rework and corrections add versions).
        guidelines_version:
          type: integer
          minimum: 1
          description: The guidelines' version the annotation was made under.
        status:
          type: string
          enum: [submitted, accepted, rejected, corrected]
          description: The review standing; requesters and admins only (a worker's view leaves it out).
        value:
          type: object
        time_spent_s:
          type: number
          minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'

    AnnotationList:
      type: object
      additionalProperties: false
      required: [annotations]
      properties:
        annotations:
          type: array
          items:
            $ref: '#/components/schemas/Annotation'

    ExportAnnotation:
      type: object
      description: >-
        A worker's annotation (`answers=all`, with its review `status`), or the task's final answer
        (`answers=final`: `final` is true, `id` is the task's id and `worker` repeats the `source`).
      additionalProperties: false
      required: [id, worker, value, time_spent_s, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        worker:
          type: string
          description: The worker's e-mail (the source, for a final answer).
        value:
          type: object
        mqm_score:
          type: object
          description: Projects with mqm fields; the MQM score of each, by field name.
          additionalProperties:
            type: [number, "null"]
        status:
          type: string
          enum: [submitted, accepted, rejected, corrected]
        final:
          type: boolean
          enum: [true]
        source:
          type: string
          description: A FinalSource, or `gold` for a gold task's answer.
          enum: [single, reviewed, consensus, auto_accepted, adjudicated, prelabel, gold]
        confidence:
          type: number
        agreement:
          type: number
        answers:
          type: integer
          minimum: 0
        time_spent_s:
          type: number
          minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'

    ExportRecord:
      type: object
      description: One task with its annotations.
      additionalProperties: false
      required: [id, external_id, data, prelabels, annotations]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        annotations:
          type: array
          items:
            $ref: '#/components/schemas/ExportAnnotation'

    Media:
      type: object
      additionalProperties: false
      required: [id, url, kind, content_type, file_name, byte_size, sha256, width, height, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        url:
          type: string
          description: The URL to put in task data.
        kind:
          type: string
          enum: [image, video, audio, pointcloud]
        content_type:
          type: string
        file_name:
          type: string
        byte_size:
          type: integer
        sha256:
          type: string
          pattern: '^[0-9a-f]{64}$'
        width:
          type: [integer, "null"]
        height:
          type: [integer, "null"]
        frame_count:
          type: integer
        fps:
          type: [number, "null"]
        frame_url:
          type: string
          description: Videos; `{frame}` stands for the frame number.
        duration_s:
          type: [number, "null"]
          description: Audio; seconds.
        sample_rate:
          type: [integer, "null"]
        channels:
          type: [integer, "null"]
        peaks_url:
          type: string
          description: Audio; the waveform (`getMediaPeaks`).
        peaks_per_second:
          type: [integer, "null"]
        peak_dbfs:
          type: [number, "null"]
          description: Audio; the loudest sample in dBFS (null when silent).
        rms_dbfs:
          type: [number, "null"]
        point_count:
          type: [integer, "null"]
          description: Point clouds.
        points_url:
          type: string
          description: Point clouds; the compact points (`getMediaPoints`).
        bounds:
          type: [object, "null"]
          additionalProperties: false
          properties:
            min:
              type: array
              items:
                type: number
            max:
              type: array
              items:
                type: number
        format:
          type: [string, "null"]
          enum: [pcd, kitti_bin, null]
        created_at:
          $ref: '#/components/schemas/Timestamp'

    MediaList:
      type: object
      additionalProperties: false
      required: [media]
      properties:
        media:
          type: array
          items:
            $ref: '#/components/schemas/Media'

    TaxonomyInfo:
      type: object
      additionalProperties: false
      required: [name, terms, roots, depth, updated_at]
      properties:
        name:
          type: string
        terms:
          type: integer
          minimum: 1
        roots:
          type: integer
          minimum: 1
        depth:
          type: integer
          minimum: 1
        updated_at:
          $ref: '#/components/schemas/Timestamp'

    TaxonomyList:
      type: object
      additionalProperties: false
      required: [taxonomies]
      properties:
        taxonomies:
          type: array
          items:
            $ref: '#/components/schemas/TaxonomyInfo'

    TaxonomyTerm:
      type: object
      additionalProperties: false
      required: [id, name, path, names, synonyms, matched, children]
      properties:
        id:
          type: string
        name:
          type: string
        path:
          type: array
          description: Ids from the root to the term.
          items:
            type: string
        names:
          type: array
          description: Names from the root to the term.
          items:
            type: string
        synonyms:
          type: array
          items:
            type: string
        matched:
          type: [string, "null"]
          description: The synonym that matched, when the match was not on the name.
        children:
          type: integer
          minimum: 0

    TaxonomySearch:
      type: object
      additionalProperties: false
      required: [terms]
      properties:
        terms:
          type: array
          items:
            $ref: '#/components/schemas/TaxonomyTerm'

    ModelEndpoint:
      type: object
      additionalProperties: false
      required: [id, name, kind, url, model, has_key, timeout_seconds, max_attempts, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        kind:
          type: string
          enum: [chat, prelabel]
        url:
          type: string
        model:
          type: [string, "null"]
        has_key:
          type: boolean
        timeout_seconds:
          type: integer
          minimum: 1
          maximum: 300
        max_attempts:
          type: integer
          minimum: 1
          maximum: 10
        created_at:
          $ref: '#/components/schemas/Timestamp'

    ModelEndpointList:
      type: object
      additionalProperties: false
      required: [endpoints]
      properties:
        endpoints:
          type: array
          items:
            $ref: '#/components/schemas/ModelEndpoint'

    ModelEndpointCreate:
      type: object
      required: [name, kind, url]
      properties:
        name:
          type: string
          pattern: '^[a-z0-9_-]{1,64}$'
        kind:
          type: string
          enum: [chat, prelabel]
        url:
          type: string
          description: An http:// or https:// URL.
        model:
          type: string
          description: The `model` sent to a chat-completions endpoint.
        api_key:
          type: string
          description: Stored encrypted; never returned.
        timeout_seconds:
          type: integer
          minimum: 1
          maximum: 300
          default: 30
        max_attempts:
          type: integer
          minimum: 1
          maximum: 10
          default: 5

    ModelEndpointUpdate:
      type: object
      properties:
        name:
          type: string
        url:
          type: string
        model:
          type: [string, "null"]
        api_key:
          type: [string, "null"]
        timeout_seconds:
          type: integer
        max_attempts:
          type: integer

    PrelabelJob:
      type: object
      additionalProperties: false
      required: [task_id, external_id, endpoint, status, attempts, last_error, updated_at]
      properties:
        task_id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        endpoint:
          type: string
        status:
          type: string
          enum: [queued, running, done, failed]
        attempts:
          type: integer
          minimum: 0
        last_error:
          type: [string, "null"]
        updated_at:
          $ref: '#/components/schemas/Timestamp'

    PrelabelJobs:
      type: object
      additionalProperties: false
      required: [counts, jobs]
      properties:
        counts:
          type: object
          additionalProperties: false
          required: [queued, running, done, failed]
          properties:
            queued:
              type: integer
            running:
              type: integer
            done:
              type: integer
            failed:
              type: integer
        jobs:
          type: array
          items:
            $ref: '#/components/schemas/PrelabelJob'

    RetryResult:
      type: object
      additionalProperties: false
      required: [requeued]
      properties:
        requeued:
          type: integer
          minimum: 0

    ChatTurn:
      type: object
      additionalProperties: false
      required: [user, candidates, winner, reply, edited]
      properties:
        user:
          type: string
        candidates:
          type: array
          minItems: 2
          maxItems: 2
          items:
            type: string
        winner:
          type: string
          enum: [a, b]
        strength:
          type: integer
          minimum: 1
          maximum: 3
        reason:
          type: string
        reply:
          type: string
          description: What the conversation went on with (the chosen reply or its edit).
        edited:
          type: boolean

    ChatState:
      type: object
      additionalProperties: false
      required: [turns, pending, endpoint, min_turns, max_turns]
      properties:
        turns:
          type: array
          items:
            $ref: '#/components/schemas/ChatTurn'
        pending:
          oneOf:
            - type: "null"
            - type: object
              additionalProperties: false
              required: [user, candidates]
              properties:
                user:
                  type: string
                candidates:
                  type: array
                  minItems: 2
                  maxItems: 2
                  items:
                    type: string
        endpoint:
          type: string
        min_turns:
          type: integer
          minimum: 0
        max_turns:
          type: integer
          minimum: 1

    ChatMessage:
      type: object
      required: [content]
      properties:
        content:
          type: string

    ChatChoice:
      type: object
      required: [winner]
      properties:
        winner:
          type: string
          enum: [a, b]
        strength:
          type: integer
        reason:
          type: string
        reply:
          type: string

    QualityPolicy:
      type: object
      description: >-
        A project's quality policy, every key present (the defaults fill what the project did not set).
        See docs/quality.md for what each setting does.
      additionalProperties: false
      required:
        - gold_rate
        - gold_pass_score
        - spot_check
        - rejected
        - expert_sample
        - overlap
        - consensus
        - auto_accept
        - thresholds
        - time
      properties:
        gold_rate:
          type: number
          minimum: 0
          maximum: 0.5
          description: Share of each worker's stream served from gold tasks.
        gold_pass_score:
          type: number
          minimum: 0
          maximum: 1
        spot_check:
          type: object
          additionalProperties: false
          required: [first, first_rate, rate, proven_after, proven_quality, proven_rate]
          properties:
            first:
              type: integer
              minimum: 0
              description: A worker's first annotations on the project, reviewed at `first_rate`.
            first_rate:
              type: number
              minimum: 0
              maximum: 1
            rate:
              type: number
              minimum: 0
              maximum: 1
            proven_after:
              type: integer
              minimum: 0
              description: Reviewed annotations after which a worker of `proven_quality` gets `proven_rate`.
            proven_quality:
              type: number
              minimum: 0
              maximum: 1
            proven_rate:
              type: number
              minimum: 0
              maximum: 1
        rejected:
          type: string
          enum: [rework, reassign]
          description: A rejected annotation goes back to its worker, or to another worker.
        expert_sample:
          type: number
          minimum: 0
          maximum: 1
          description: Share of peer-reviewed annotations that also go to the expert stage.
        overlap:
          type: object
          additionalProperties: false
          required: [dynamic, agreement_below, max]
          properties:
            dynamic:
              type: boolean
            agreement_below:
              type: number
              minimum: 0
              maximum: 1
            max:
              type: integer
              minimum: 1
              maximum: 100
        consensus:
          type: object
          additionalProperties: false
          required: [categorical, ratings, iou_threshold, rating_tolerance]
          properties:
            categorical:
              type: string
              enum: [majority, dawid_skene]
            ratings:
              type: string
              enum: [median, mean]
            iou_threshold:
              type: number
              minimum: 0
              maximum: 1
            rating_tolerance:
              type: number
              minimum: 0
        auto_accept:
          type: object
          additionalProperties: false
          required: [prelabel_score, consensus_confidence]
          properties:
            prelabel_score:
              type: [number, "null"]
              minimum: 0
              maximum: 1
              description: Null is off.
            consensus_confidence:
              type: [number, "null"]
              minimum: 0
              maximum: 1
              description: Null is off.
        thresholds:
          type: object
          additionalProperties: false
          required: [min_observations, more_review_below, pause_below, raise_above]
          properties:
            min_observations:
              type: integer
              minimum: 0
            more_review_below:
              type: number
              minimum: 0
              maximum: 1
            pause_below:
              type: number
              minimum: 0
              maximum: 1
            raise_above:
              type: number
              minimum: 0
              maximum: 1
        time:
          type: object
          additionalProperties: false
          required: [rushed_below_s, pay_rejected]
          description: >-
            What active time the policy refuses to pay (docs/pay.md). Time on an annotation that failed gold
            or was rejected in review is rejected when it is under `rushed_below_s`; time on an annotation
            rejected in review is rejected anyway when `pay_rejected` is false.
          properties:
            rushed_below_s:
              type: number
              minimum: 0
              maximum: 3600
            pay_rejected:
              type: boolean

    QualityPolicyInput:
      type: object
      description: >-
        Any subset of the QualityPolicy keys, nested objects included; what is left out takes the
        default. It replaces the project's stored policy as a whole. Unknown keys and values out of
        range are a 422 naming the dotted path (for example `quality_policy.spot_check.rate`).

    FinalSource:
      type: string
      description: >-
        Where a final answer came from: the single answer (`single`, or `reviewed` once a reviewer
        decided on it), the `consensus` of several answers, a consensus accepted without review
        (`auto_accepted`), an `adjudicated` answer, or an accepted pre-label (`prelabel`).
      enum: [single, reviewed, consensus, auto_accepted, adjudicated, prelabel]

    FinalAnswer:
      type: object
      additionalProperties: false
      required: [task_id, value, source, confidence, agreement, answers]
      properties:
        task_id:
          $ref: '#/components/schemas/Id'
        value:
          type: object
          description: A label value keyed by field name.
        source:
          $ref: '#/components/schemas/FinalSource'
        confidence:
          type: number
        agreement:
          type: number
          description: Agreement among the answers it came from (kept from before an adjudication).
        answers:
          type: integer
          minimum: 0
          description: How many answers it came from.

    Adjudication:
      type: object
      description: Either `value` or `annotation_id`.
      properties:
        value:
          type: object
          description: A label value keyed by field name.
        annotation_id:
          type: string
          format: uuid
          description: One of the task's current answers.

    GoldUpdate:
      type: object
      required: [answer]
      properties:
        answer:
          type: object
          description: The right answer, a label value keyed by field name.

    GoldAnswer:
      type: object
      additionalProperties: false
      required: [task_id, answer]
      properties:
        task_id:
          $ref: '#/components/schemas/Id'
        answer:
          type: object

    GoldTask:
      type: object
      additionalProperties: false
      required: [task_id, external_id, data, answer, attempts, mean_score]
      properties:
        task_id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        answer:
          type: object
        attempts:
          type: integer
          minimum: 0
          description: Workers' answers scored against it.
        mean_score:
          type: [number, "null"]
          description: Their mean score; null before the first.

    GoldList:
      type: object
      additionalProperties: false
      required: [gold]
      properties:
        gold:
          type: array
          items:
            $ref: '#/components/schemas/GoldTask'

    TaskRef:
      type: object
      additionalProperties: false
      required: [id, data]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        data:
          type: object

    Disagreement:
      type: object
      additionalProperties: false
      required: [task, agreement, consensus, answers]
      properties:
        task:
          $ref: '#/components/schemas/TaskRef'
        agreement:
          type: number
        consensus:
          type: object
          additionalProperties: false
          required: [value, source, confidence]
          properties:
            value:
              type: object
            source:
              $ref: '#/components/schemas/FinalSource'
            confidence:
              type: number
        answers:
          type: array
          description: The current answers, rejected ones left out.
          items:
            type: object
            additionalProperties: false
            required: [annotation_id, worker, value]
            properties:
              annotation_id:
                $ref: '#/components/schemas/Id'
              worker:
                type: string
                description: The worker's e-mail.
              value:
                type: object

    DisagreementList:
      type: object
      additionalProperties: false
      required: [disagreements]
      properties:
        disagreements:
          type: array
          items:
            $ref: '#/components/schemas/Disagreement'

    FlagKind:
      type: string
      enum: [ambiguous, edge_case, guidelines_gap, other]

    Flag:
      type: object
      additionalProperties: false
      required: [id, task_id, worker, kind, note, specialty, guidelines_version, status, resolution, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        task_id:
          $ref: '#/components/schemas/Id'
        worker:
          type: string
          description: The flagging worker's e-mail.
        kind:
          $ref: '#/components/schemas/FlagKind'
        note:
          type: string
        specialty:
          type: [string, "null"]
        guidelines_version:
          type: integer
          minimum: 1
          description: The guidelines' version the task was flagged under.
        status:
          type: string
          enum: [open, resolved]
        resolution:
          type: [string, "null"]
          description: The expert's comment when resolving.
        created_at:
          $ref: '#/components/schemas/Timestamp'

    FlagList:
      type: object
      additionalProperties: false
      required: [flags]
      properties:
        flags:
          type: array
          items:
            $ref: '#/components/schemas/Flag'

    FlagCreate:
      type: object
      required: [note]
      properties:
        kind:
          $ref: '#/components/schemas/FlagKind'
        note:
          type: string
          minLength: 1
          maxLength: 5000
        specialty:
          type: string
          maxLength: 100
          description: The sub-specialty of the experts who should see it (lower-cased).

    ReviewerGrant:
      type: object
      additionalProperties: false
      required: [user_id, email, name, level, specialties]
      properties:
        user_id:
          $ref: '#/components/schemas/Id'
        email:
          type: string
        name:
          type: string
        level:
          type: string
          enum: [reviewer, expert]
        specialties:
          type: array
          items:
            type: string

    ReviewerList:
      type: object
      additionalProperties: false
      required: [reviewers]
      properties:
        reviewers:
          type: array
          items:
            $ref: '#/components/schemas/ReviewerGrant'

    ReviewerGrantCreate:
      type: object
      required: [email]
      properties:
        email:
          type: string
          description: A worker's e-mail.
        level:
          type: string
          enum: [reviewer, expert]
          default: reviewer
        specialties:
          type: array
          items:
            type: string
            minLength: 1
            maxLength: 100

    GuidelineVersionList:
      type: object
      additionalProperties: false
      required: [versions]
      properties:
        versions:
          type: array
          description: Newest first.
          items:
            type: object
            additionalProperties: false
            required: [version, created_at, length]
            properties:
              version:
                type: integer
                minimum: 1
              created_at:
                $ref: '#/components/schemas/Timestamp'
              length:
                type: integer
                minimum: 0
                description: The text's length in characters.

    GuidelineVersion:
      type: object
      additionalProperties: false
      required: [version, guidelines, guidelines_html, created_at]
      properties:
        version:
          type: integer
          minimum: 1
        guidelines:
          type: string
          description: Markdown.
        guidelines_html:
          type: string
        created_at:
          $ref: '#/components/schemas/Timestamp'

    ReviewQueues:
      type: object
      additionalProperties: false
      required: [queues]
      properties:
        queues:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [project_id, project_name, level, open]
            properties:
              project_id:
                $ref: '#/components/schemas/Id'
              project_name:
                type: string
              level:
                type: string
                enum: [reviewer, expert]
              open:
                type: object
                description: Items not yet decided, per stage the caller may work.
                additionalProperties: false
                required: [review]
                properties:
                  review:
                    type: integer
                    minimum: 0
                  expert:
                    type: integer
                    minimum: 0

    ReviewVerdict:
      type: string
      enum: [accept, reject, correct, escalate, resolve]

    ReviewItem:
      type: object
      description: >-
        A review item as its reviewer sees it, with no worker identity: the annotation under review and
        the verdicts before it, or, for a flag, every current answer of the task.
      additionalProperties: false
      required:
        - id
        - project_id
        - stage
        - reason
        - status
        - comment
        - specialty
        - verdict
        - task
        - created_at
        - annotation
        - history
      properties:
        id:
          $ref: '#/components/schemas/Id'
        project_id:
          $ref: '#/components/schemas/Id'
        stage:
          type: string
          enum: [review, expert]
        reason:
          type: string
          enum: [spot_check, soft_rule, rework, sample, escalated, flag]
        status:
          type: string
          enum: [open, leased, done]
        comment:
          type: [string, "null"]
          description: >-
            Before a verdict, what the item comes with (the broken soft rules, the escalating comment,
            the flag's note); after it, the reviewer's comment.
        specialty:
          type: [string, "null"]
        verdict:
          oneOf:
            - type: "null"
            - $ref: '#/components/schemas/ReviewVerdict'
        task:
          $ref: '#/components/schemas/TaskRef'
        created_at:
          $ref: '#/components/schemas/Timestamp'
        annotation:
          oneOf:
            - type: "null"
            - type: object
              additionalProperties: false
              required: [id, version, value, origin]
              properties:
                id:
                  $ref: '#/components/schemas/Id'
                version:
                  type: integer
                  minimum: 1
                value:
                  type: [object, "null"]
                origin:
                  type: string
                  enum: [worker, rework, correction]
        history:
          type: array
          description: The decided reviews of the annotation, oldest first.
          items:
            type: object
            additionalProperties: false
            required: [stage, verdict, comment, decided_at]
            properties:
              stage:
                type: string
                enum: [review, expert]
              verdict:
                $ref: '#/components/schemas/ReviewVerdict'
              comment:
                type: [string, "null"]
              decided_at:
                $ref: '#/components/schemas/Timestamp'
        answers:
          type: array
          description: Items without an annotation (flags) only; labelled "Answer 1", "Answer 2", ...
          items:
            type: object
            additionalProperties: false
            required: [annotation_id, label, value]
            properties:
              annotation_id:
                $ref: '#/components/schemas/Id'
              label:
                type: string
              value:
                type: object
        flag:
          type: object
          description: Items that come from a flag only.
          additionalProperties: false
          required: [kind, note, specialty, guidelines_version]
          properties:
            kind:
              $ref: '#/components/schemas/FlagKind'
            note:
              type: string
            specialty:
              type: [string, "null"]
            guidelines_version:
              type: integer
              minimum: 1

    ReviewDecision:
      type: object
      required: [verdict]
      properties:
        verdict:
          $ref: '#/components/schemas/ReviewVerdict'
        comment:
          type: string
          maxLength: 5000
          description: Required to reject.
        value:
          type: object
          description: The corrected label value (`correct` only).
        final:
          type: object
          description: The task's final answer (`resolve` only).
        specialty:
          type: string
          maxLength: 100
          description: The experts' sub-specialty (`escalate`).

    AgreementReport:
      type: object
      description: Every agreement figure of one categorical measure; undefined figures are null.
      additionalProperties: false
      required:
        - metric
        - units
        - coders
        - labels
        - pairable_values
        - alpha
        - alpha_ci95
        - bootstrap_samples
        - percent_agreement
        - fleiss_kappa
        - fleiss_units
        - cohen_kappa
        - per_label
        - per_coder
        - coincidence
      properties:
        metric:
          type: string
          enum: [nominal, ordinal, interval]
        units:
          type: integer
          minimum: 0
        coders:
          type: integer
          minimum: 0
        labels:
          type: integer
          minimum: 0
          description: The number of distinct labels.
        pairable_values:
          type: integer
          minimum: 0
        alpha:
          type: [number, "null"]
          description: Krippendorff's alpha.
        alpha_ci95:
          type: [array, "null"]
          description: The bootstrap 95% interval [lower, upper]; null when not computed or undefined.
          items:
            type: number
        bootstrap_samples:
          type: integer
          minimum: 0
        percent_agreement:
          type: [number, "null"]
        fleiss_kappa:
          type: [number, "null"]
        fleiss_units:
          type: integer
          minimum: 0
        cohen_kappa:
          type: object
          additionalProperties: false
          required: [mean, pairs]
          properties:
            mean:
              type: [number, "null"]
            pairs:
              type: array
              items:
                type: object
                additionalProperties: false
                required: [a, b, n, kappa]
                properties:
                  a:
                    type: string
                    description: A worker id.
                  b:
                    type: string
                  n:
                    type: integer
                    minimum: 0
                  kappa:
                    type: [number, "null"]
        per_label:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [label, count, agreement]
            properties:
              label: {}
              count:
                type: integer
                minimum: 0
              agreement:
                type: [number, "null"]
        per_coder:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [coder, units, agreement]
            properties:
              coder:
                type: string
                description: A worker id.
              units:
                type: integer
                minimum: 0
              agreement:
                type: [number, "null"]
        coincidence:
          type: object
          additionalProperties: false
          required: [labels, counts]
          properties:
            labels:
              type: array
              description: The labels, in the order of the matrix's rows and columns.
              items: {}
            counts:
              type: [array, "null"]
              description: The label coincidence matrix (fractional counts); null above 256 labels.
              items:
                type: array
                items:
                  type: number

    QualityField:
      type: object
      additionalProperties: false
      required: [field, type, mean_agreement, tasks_compared, measures]
      properties:
        field:
          type: string
        type:
          type: string
          description: The field's type.
        mean_agreement:
          type: [number, "null"]
          description: >-
            Mean pairwise agreement between workers on the same task (IoU-based for geometry); null when
            no task has two answers.
        tasks_compared:
          type: integer
          minimum: 0
        measures:
          type: array
          description: >-
            The categorical views of the field (the field itself, or each dimension of a rating as
            `field.dimension`) with their agreement report.
          items:
            type: object
            additionalProperties: false
            required: [name, metric, report]
            properties:
              name:
                type: string
              metric:
                type: string
                enum: [nominal, ordinal, interval]
              report:
                oneOf:
                  - type: "null"
                  - $ref: '#/components/schemas/AgreementReport'

    ObservationSummary:
      type: object
      additionalProperties: false
      required: [count, mean]
      properties:
        count:
          type: integer
          minimum: 0
        mean:
          type: [number, "null"]

    WorkerQuality:
      type: object
      additionalProperties: false
      required:
        - worker_id
        - worker
        - name
        - score
        - observations
        - interval95
        - status
        - raise_eligible
        - gold
        - review
        - consensus
        - annotations
        - rejected
        - corrected
        - estimated_accuracy
        - overall_score
      properties:
        worker_id:
          $ref: '#/components/schemas/Id'
        worker:
          type: string
          description: The worker's e-mail.
        name:
          type: string
        score:
          type: [number, "null"]
          minimum: 0
          maximum: 1
          description: >-
            The quality score on this project (gold and review verdicts weigh 2, agreement with
            consensus 1).
        observations:
          type: integer
          minimum: 0
        interval95:
          type: [array, "null"]
          description: The score's 95% Wilson interval [lower, upper].
          items:
            type: number
            minimum: 0
            maximum: 1
        status:
          type: string
          enum: [active, more_review, paused]
        raise_eligible:
          type: boolean
        gold:
          $ref: '#/components/schemas/ObservationSummary'
        review:
          $ref: '#/components/schemas/ObservationSummary'
        consensus:
          $ref: '#/components/schemas/ObservationSummary'
        annotations:
          type: integer
          minimum: 0
        rejected:
          type: integer
          minimum: 0
        corrected:
          type: integer
          minimum: 0
        estimated_accuracy:
          type: [number, "null"]
          description: Dawid-Skene's estimate from the first categorical field when nominal, else null.
        overall_score:
          type: [number, "null"]
          description: The quality score over every project.

    QualityReport:
      type: object
      additionalProperties: false
      required: [project_id, tasks, queues, fields, leaderboards, workers, answers_read, policy]
      properties:
        project_id:
          $ref: '#/components/schemas/Id'
        tasks:
          type: object
          additionalProperties: false
          required: [total, done, gold, final]
          properties:
            total:
              type: integer
              minimum: 0
            done:
              type: integer
              minimum: 0
            gold:
              type: integer
              minimum: 0
            final:
              type: object
              description: Final answers by source.
              additionalProperties:
                type: integer
                minimum: 0
        queues:
          type: object
          additionalProperties: false
          required: [review, expert, rework, flags]
          properties:
            review:
              type: integer
              minimum: 0
            expert:
              type: integer
              minimum: 0
            rework:
              type: integer
              minimum: 0
            flags:
              type: integer
              minimum: 0
              description: Open flags.
        fields:
          type: array
          items:
            $ref: '#/components/schemas/QualityField'
        leaderboards:
          type: array
          description: >-
            Per ranking or pairwise field, the candidates across the project (named by their model, else id,
            else position) by Bradley-Terry strength over every pairwise judgement and every pair a ranking
            orders, with the Borda count of the rankings.
          items:
            type: object
            additionalProperties: false
            required: [field, comparisons, items]
            properties:
              field:
                type: string
              comparisons:
                type: integer
                minimum: 0
              items:
                type: array
                items:
                  type: object
                  additionalProperties: false
                  required: [name, bradley_terry, wins, comparisons, borda]
                  properties:
                    name:
                      type: string
                    bradley_terry:
                      type: number
                    wins:
                      type: integer
                      minimum: 0
                    comparisons:
                      type: number
                    borda:
                      type: [number, "null"]
        workers:
          type: array
          items:
            $ref: '#/components/schemas/WorkerQuality'
        answers_read:
          type: integer
          minimum: 0
          description: Current answers the figures were computed from (at most 200,000).
        policy:
          $ref: '#/components/schemas/QualityPolicy'

    # Workforce (issue 6): applications, credentials, qualifications, tracks, assessments, attempts,
    # grading, matching, listings, alerts, the dashboard and the audit log.

    TrackId:
      type: string
      pattern: '^[a-z]+(\.[a-z0-9-]+)?$'
      description: A track id, e.g. `general`, `coding`, `stem.chemistry`, `professional.law`.

    WorkerStatus:
      type: string
      enum: [applicant, assessing, approved, rejected, suspended]

    ApplicantPath:
      type: string
      enum: [general, coding]

    Proficiency:
      type: string
      enum: [basic, professional, fluent, native]

    DegreeLevel:
      type: string
      enum: [high_school, associate, bachelor, master, phd, professional]

    LanguageCode:
      type: string
      pattern: '^[a-z]{2,3}(-[a-z0-9]{2,8})*$'
      description: A lower-cased BCP 47 style code (`en`, `pt-br`).

    Profile:
      type: object
      description: >-
        What an applicant tells about themselves. Every member may be missing (or null) in a saved
        draft, entries included; submitting requires country, time_zone, availability (hours and at
        least one day), at least one language, and for the coding path at least one programming
        language, each entry complete.
      additionalProperties: false
      properties:
        country:
          type: [string, "null"]
          pattern: '^[A-Z]{2}$'
          description: ISO 3166-1 alpha-2.
        time_zone:
          type: [string, "null"]
          description: An IANA time zone such as `Europe/Berlin`.
        availability:
          type: [object, "null"]
          additionalProperties: false
          properties:
            hours_per_week:
              type: [integer, "null"]
              minimum: 1
              maximum: 80
            days:
              type: [array, "null"]
              items:
                type: string
                enum: [mon, tue, wed, thu, fri, sat, sun]
        education:
          type: [array, "null"]
          maxItems: 20
          items:
            type: object
            additionalProperties: false
            properties:
              degree:
                type: [string, "null"]
                enum: [high_school, associate, bachelor, master, phd, professional, null]
              field:
                type: [string, "null"]
              institution:
                type: [string, "null"]
              year:
                type: [integer, "null"]
        experience:
          type: [array, "null"]
          maxItems: 20
          items:
            type: object
            additionalProperties: false
            properties:
              field:
                type: [string, "null"]
              years:
                type: [integer, "null"]
                minimum: 0
                maximum: 60
        languages:
          type: [array, "null"]
          maxItems: 20
          items:
            type: object
            additionalProperties: false
            properties:
              code:
                type: [string, "null"]
                description: A language code such as `en` or `pt-br`.
              proficiency:
                type: [string, "null"]
                enum: [basic, professional, fluent, native, null]
        programming:
          type: [array, "null"]
          maxItems: 20
          items:
            type: object
            additionalProperties: false
            properties:
              language:
                type: [string, "null"]
              years:
                type: [integer, "null"]
                minimum: 0
                maximum: 60
        path:
          type: [string, "null"]
          enum: [general, coding, null]

    StatusChangeRecord:
      type: object
      additionalProperties: false
      required: [from, to, reason, by, at]
      properties:
        from:
          type: [string, "null"]
          enum: [applicant, assessing, approved, rejected, suspended, null]
          description: Null for the first entry.
        to:
          $ref: '#/components/schemas/WorkerStatus'
        reason:
          type: [string, "null"]
        by:
          type: [string, "null"]
          description: The e-mail of who made the change; null when it was automatic.
        at:
          $ref: '#/components/schemas/Timestamp'

    Application:
      type: object
      additionalProperties: false
      required: [user_id, name, email, status, path, submitted_at, updated_at, profile, history, credentials, qualifications, attempts]
      description: >-
        A worker's application. The attempts carry their `result` in an admin's view (never a gold
        answer or a rubric).
      properties:
        user_id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        email:
          type: string
        status:
          $ref: '#/components/schemas/WorkerStatus'
        path:
          $ref: '#/components/schemas/ApplicantPath'
        submitted_at:
          type: [string, "null"]
          format: date-time
        updated_at:
          $ref: '#/components/schemas/Timestamp'
        profile:
          $ref: '#/components/schemas/Profile'
        history:
          type: array
          description: Every status change, oldest first.
          items:
            $ref: '#/components/schemas/StatusChangeRecord'
        credentials:
          type: array
          items:
            $ref: '#/components/schemas/Credential'
        qualifications:
          type: array
          items:
            $ref: '#/components/schemas/Qualification'
        attempts:
          type: array
          items:
            $ref: '#/components/schemas/AttemptSummary'

    ApplicationCreate:
      type: object
      required: [name, email, password]
      properties:
        name:
          type: string
          minLength: 1
        email:
          type: string
        password:
          type: string
          minLength: 1
        profile:
          $ref: '#/components/schemas/Profile'

    ApplicationCreated:
      type: object
      additionalProperties: false
      required: [application, token]
      properties:
        application:
          $ref: '#/components/schemas/Application'
        token:
          type: string
          pattern: '^gls_'
          description: A bearer token for the new account.

    ApplicationUpdate:
      type: object
      required: [profile]
      properties:
        name:
          type: string
          minLength: 1
        profile:
          $ref: '#/components/schemas/Profile'

    ApplicationSummaryList:
      type: object
      additionalProperties: false
      required: [applications]
      properties:
        applications:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [user_id, name, email, status, path, country, submitted_at, updated_at, latest_attempt]
            properties:
              user_id:
                $ref: '#/components/schemas/Id'
              name:
                type: string
              email:
                type: string
              status:
                $ref: '#/components/schemas/WorkerStatus'
              path:
                $ref: '#/components/schemas/ApplicantPath'
              country:
                type: [string, "null"]
              submitted_at:
                type: [string, "null"]
                format: date-time
              updated_at:
                $ref: '#/components/schemas/Timestamp'
              latest_attempt:
                anyOf:
                  - $ref: '#/components/schemas/AttemptSummary'
                  - type: "null"

    StatusChange:
      type: object
      required: [status, reason]
      properties:
        status:
          type: string
          enum: [approved, rejected, suspended, assessing]
        reason:
          type: string
          minLength: 1
          maxLength: 2000

    UserRef:
      type: object
      additionalProperties: false
      required: [id, name, email]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        email:
          type: string

    ApplicantRef:
      type: object
      additionalProperties: false
      required: [user_id, name, email]
      properties:
        user_id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        email:
          type: string

    Credential:
      type: object
      additionalProperties: false
      required: [id, type, issuer, number, year, expires_on, status, note, document, created_at, reviewed_at]
      description: >-
        A professional credential (bar admission, CFA, medical licence...). Only a verified, unexpired
        one counts toward a track. Admin lists add `user`.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        type:
          type: string
        issuer:
          type: string
        number:
          type: string
        year:
          type: [integer, "null"]
        expires_on:
          type: [string, "null"]
          pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
          description: YYYY-MM-DD.
        status:
          type: string
          enum: [pending, verified, rejected]
        note:
          type: [string, "null"]
          description: The reviewing admin's note.
        document:
          type: [object, "null"]
          additionalProperties: false
          required: [name, content_type, size]
          properties:
            name:
              type: string
            content_type:
              type: string
              enum: [application/pdf, image/png, image/jpeg]
            size:
              type: integer
              minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'
        reviewed_at:
          type: [string, "null"]
          format: date-time
        user:
          $ref: '#/components/schemas/UserRef'

    CredentialList:
      type: object
      additionalProperties: false
      required: [credentials]
      properties:
        credentials:
          type: array
          items:
            $ref: '#/components/schemas/Credential'

    AdminCredentialList:
      type: object
      additionalProperties: false
      required: [credentials]
      properties:
        credentials:
          type: array
          items:
            allOf:
              - $ref: '#/components/schemas/Credential'
              - required: [user]

    CredentialReview:
      type: object
      required: [status]
      properties:
        status:
          type: string
          enum: [verified, rejected]
        note:
          type: [string, "null"]

    Qualification:
      type: object
      additionalProperties: false
      required: [track, name, source, granted_at, active, inactive_reason, expires_at]
      description: >-
        A track the worker holds. `active`: granted and the track's eligibility rule holds now (for
        example a verified, unexpired credential); otherwise `inactive_reason` says what is missing.
      properties:
        track:
          $ref: '#/components/schemas/TrackId'
        name:
          type: string
        source:
          type: string
          enum: [assessment, admin]
        granted_at:
          $ref: '#/components/schemas/Timestamp'
        active:
          type: boolean
        inactive_reason:
          type: [string, "null"]
        expires_at:
          type: [string, "null"]
          format: date-time

    QualificationList:
      type: object
      additionalProperties: false
      required: [qualifications]
      properties:
        qualifications:
          type: array
          items:
            $ref: '#/components/schemas/Qualification'

    QualificationGrant:
      type: object
      required: [track, reason]
      properties:
        track:
          $ref: '#/components/schemas/TrackId'
        reason:
          type: string
          minLength: 1
          maxLength: 2000

    AssessmentRef:
      type: object
      additionalProperties: false
      required: [id, title]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        title:
          type: string

    EligibilityRule:
      type: object
      description: >-
        A track's eligibility rule: `{"always": true}`, `{"all": [rule...]}`, `{"any": [rule...]}`,
        `{"degree": {"minimum": "master", "fields": ["chemistry"]}}`, `{"experience": {"minimum_years": 10,
        "fields": ["chemistry"]}}`, `{"credential": {"types": ["bar_admission"]}}`,
        `{"language": {"minimum": "professional", "codes": ["de"]}}`.

    Track:
      type: object
      additionalProperties: false
      required: [id, name, family, base_rate_cents, eligibility, eligibility_text, assessments]
      properties:
        id:
          $ref: '#/components/schemas/TrackId'
        name:
          type: string
        family:
          type: string
          enum: [general, multilingual, coding, stem, professional]
        base_rate_cents:
          type: integer
          minimum: 0
          description: The base hourly rate in cents; no project of the track pays less.
        eligibility:
          $ref: '#/components/schemas/EligibilityRule'
        eligibility_text:
          type: string
          description: The rule in plain English.
        assessments:
          type: array
          description: The assessments that unlock the track.
          items:
            $ref: '#/components/schemas/AssessmentRef'

    TrackList:
      type: object
      additionalProperties: false
      required: [tracks]
      properties:
        tracks:
          type: array
          items:
            $ref: '#/components/schemas/Track'

    TrackUpdate:
      type: object
      properties:
        name:
          type: string
          minLength: 1
        base_rate_cents:
          type: integer
          minimum: 0
        eligibility:
          $ref: '#/components/schemas/EligibilityRule'

    AttemptStatus:
      type: string
      enum: [in_progress, submitted, passed, failed, pending, review]
      description: >-
        `in_progress` while open; after submitting, `passed` or `failed` once decided, `pending` while
        written answers await a grader, `review` when an admin decides.

    Score:
      type: [number, "null"]
      minimum: 0
      maximum: 1

    Result:
      type: object
      additionalProperties: false
      required: [auto_score, human_score, score, verdict, reasons, decided_by, decided_at]
      description: An attempt's result; never a gold answer or a rubric.
      properties:
        auto_score:
          $ref: '#/components/schemas/Score'
        human_score:
          $ref: '#/components/schemas/Score'
        score:
          $ref: '#/components/schemas/Score'
        verdict:
          type: string
          enum: [passed, failed, pending, review]
        reasons:
          type: array
          items:
            type: string
        decided_by:
          type: [string, "null"]
          enum: [automatic, admin, null]
        decided_at:
          type: [string, "null"]
          format: date-time

    AttemptSummary:
      type: object
      additionalProperties: false
      required: [id, assessment_id, assessment_title, status, started_at, deadline_at, submitted_at, score]
      description: An attempt in a list; an admin's view of an application adds `result`.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        assessment_id:
          $ref: '#/components/schemas/Id'
        assessment_title:
          type: string
        status:
          $ref: '#/components/schemas/AttemptStatus'
        started_at:
          $ref: '#/components/schemas/Timestamp'
        deadline_at:
          $ref: '#/components/schemas/Timestamp'
        submitted_at:
          type: [string, "null"]
          format: date-time
        score:
          $ref: '#/components/schemas/Score'
        result:
          anyOf:
            - $ref: '#/components/schemas/Result'
            - type: "null"

    PublicItem:
      type: object
      additionalProperties: false
      required: [id, kind, prompt, prompt_html, points]
      description: >-
        An assessment item as its taker sees it: never the correct options, the gold answer, the scoring
        settings, the rubric or the explanation.
      properties:
        id:
          type: string
          pattern: '^[a-z0-9_-]{1,40}$'
        kind:
          type: string
          enum: [multiple_choice, annotation, written]
        prompt:
          type: string
          description: Markdown (untrusted text).
        prompt_html:
          type: string
          description: The prompt rendered to safe HTML.
        points:
          type: number
          minimum: 0
        options:
          type: array
          description: multiple_choice only.
          items:
            type: string
        multiple:
          type: boolean
          description: multiple_choice only; the answer is then an array of options.
        schema:
          type: object
          description: 'annotation only: the label schema {"fields": [...]} of the answer.'
        data:
          type: object
          description: annotation only; the task data the schema's fields read.
        max_words:
          type: [integer, "null"]
          minimum: 1
          description: written only.

    Attempt:
      type: object
      additionalProperties: false
      required: [id, assessment_id, assessment_title, status, started_at, deadline_at, submitted_at, score, time_left_s, saved_at, items, answers, result]
      description: >-
        An attempt as its taker (or an admin) sees it: an AttemptSummary with the time left (the clock
        runs on the server), the items and the saved answers. Answers are keyed by item id:
        multiple_choice takes a string (an array of strings when `multiple`), annotation a value of the
        item's schema, written a string.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        assessment_id:
          $ref: '#/components/schemas/Id'
        assessment_title:
          type: string
        status:
          $ref: '#/components/schemas/AttemptStatus'
        started_at:
          $ref: '#/components/schemas/Timestamp'
        deadline_at:
          $ref: '#/components/schemas/Timestamp'
        submitted_at:
          type: [string, "null"]
          format: date-time
        score:
          $ref: '#/components/schemas/Score'
        time_left_s:
          type: integer
          minimum: 0
          description: 0 once the deadline has passed.
        saved_at:
          type: [string, "null"]
          format: date-time
        items:
          type: array
          items:
            $ref: '#/components/schemas/PublicItem'
        answers:
          $ref: '#/components/schemas/Answers'
        result:
          anyOf:
            - $ref: '#/components/schemas/Result'
            - type: "null"

    Answers:
      type: object
      description: Item id to answer (a string, an array of strings, or an annotation value).
      additionalProperties: true

    AnswersSave:
      type: object
      required: [answers]
      properties:
        answers:
          $ref: '#/components/schemas/Answers'

    AnswersSaved:
      type: object
      additionalProperties: false
      required: [saved_at, time_left_s]
      properties:
        saved_at:
          $ref: '#/components/schemas/Timestamp'
        time_left_s:
          type: integer
          minimum: 0

    AttemptSubmit:
      type: object
      properties:
        answers:
          $ref: '#/components/schemas/Answers'

    AssessmentSummary:
      type: object
      additionalProperties: false
      required: [id, slug, title, description, kind, path, time_limit_s, attempts_allowed, attempts_used, unlocks, item_count, can_start, why_not, latest_attempt]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        slug:
          type: string
        title:
          type: string
        description:
          type: string
        kind:
          type: string
          enum: [starter, specialist, practice]
        path:
          type: [string, "null"]
          enum: [general, coding, null]
          description: The applicant path a starter assessment is for; null otherwise.
        time_limit_s:
          type: integer
          minimum: 0
          description: 0 = no limit (practice).
        attempts_allowed:
          type: integer
          minimum: 0
          description: 0 = unlimited.
        attempts_used:
          type: integer
          minimum: 0
        unlocks:
          type: array
          items:
            $ref: '#/components/schemas/TrackId'
        item_count:
          type: integer
          minimum: 0
        can_start:
          type: boolean
        why_not:
          type: [string, "null"]
          description: Why no attempt can be started now.
        latest_attempt:
          anyOf:
            - $ref: '#/components/schemas/AttemptSummary'
            - type: "null"

    AssessmentSummaryList:
      type: object
      additionalProperties: false
      required: [assessments]
      properties:
        assessments:
          type: array
          items:
            $ref: '#/components/schemas/AssessmentSummary'

    AssessmentDetail:
      type: object
      additionalProperties: false
      required: [id, slug, title, description, kind, path, time_limit_s, attempts_allowed, attempts_used, unlocks, item_count, can_start, why_not, latest_attempt, items]
      description: An AssessmentSummary with its public items.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        slug:
          type: string
        title:
          type: string
        description:
          type: string
        kind:
          type: string
          enum: [starter, specialist, practice]
        path:
          type: [string, "null"]
          enum: [general, coding, null]
        time_limit_s:
          type: integer
          minimum: 0
        attempts_allowed:
          type: integer
          minimum: 0
        attempts_used:
          type: integer
          minimum: 0
        unlocks:
          type: array
          items:
            $ref: '#/components/schemas/TrackId'
        item_count:
          type: integer
          minimum: 0
        can_start:
          type: boolean
        why_not:
          type: [string, "null"]
        latest_attempt:
          anyOf:
            - $ref: '#/components/schemas/AttemptSummary'
            - type: "null"
        items:
          type: array
          items:
            $ref: '#/components/schemas/PublicItem'

    AssessmentDefinition:
      type: object
      required: [items, pass]
      description: >-
        The full definition (admins only): `{"items": [...], "pass": {"minimum_score": 0.7,
        "minimum_auto_score": 0.6, "review_band": 0.05}}`. Items: `{"id", "prompt", "points"?,
        "explanation"?, "kind": "multiple_choice", "options", "correct", "multiple"}`, `{..., "kind":
        "annotation", "schema", "data", "gold", "scoring"?}` or `{..., "kind": "written", "rubric":
        [{"id", "description", "points"}], "max_words"?}`.
      properties:
        items:
          type: array
          items:
            type: object
            required: [id, kind, prompt]
            properties:
              id:
                type: string
              kind:
                type: string
                enum: [multiple_choice, annotation, written]
              prompt:
                type: string
        pass:
          type: object

    AssessmentCreate:
      type: object
      required: [slug, title, description, kind, time_limit_s, attempts_allowed, unlocks, definition]
      properties:
        slug:
          type: string
          minLength: 1
        title:
          type: string
          minLength: 1
        description:
          type: string
        kind:
          type: string
          enum: [starter, specialist, practice]
        path:
          type: [string, "null"]
          enum: [general, coding, null]
        time_limit_s:
          type: integer
          minimum: 0
        attempts_allowed:
          type: integer
          minimum: 0
        unlocks:
          type: array
          items:
            $ref: '#/components/schemas/TrackId'
        definition:
          $ref: '#/components/schemas/AssessmentDefinition'

    AdminAssessment:
      type: object
      additionalProperties: false
      required: [id, slug, title, description, kind, path, time_limit_s, attempts_allowed, attempts_used, unlocks, item_count, can_start, why_not, latest_attempt, definition]
      description: An AssessmentSummary with its full definition, gold answers and rubrics included (admins only).
      properties:
        id:
          $ref: '#/components/schemas/Id'
        slug:
          type: string
        title:
          type: string
        description:
          type: string
        kind:
          type: string
          enum: [starter, specialist, practice]
        path:
          type: [string, "null"]
          enum: [general, coding, null]
        time_limit_s:
          type: integer
          minimum: 0
        attempts_allowed:
          type: integer
          minimum: 0
        attempts_used:
          type: integer
          minimum: 0
        unlocks:
          type: array
          items:
            $ref: '#/components/schemas/TrackId'
        item_count:
          type: integer
          minimum: 0
        can_start:
          type: boolean
        why_not:
          type: [string, "null"]
        latest_attempt:
          anyOf:
            - $ref: '#/components/schemas/AttemptSummary'
            - type: "null"
        definition:
          $ref: '#/components/schemas/AssessmentDefinition'

    PracticeSet:
      type: object
      additionalProperties: false
      required: [track, items]
      properties:
        track:
          $ref: '#/components/schemas/TrackId'
        items:
          type: array
          items:
            $ref: '#/components/schemas/PublicItem'

    PracticeAnswer:
      type: object
      required: [item_id, answer]
      properties:
        item_id:
          type: string
        answer:
          description: An answer of the item's kind.

    PracticeCheck:
      type: object
      additionalProperties: false
      required: [score, correct, answer, explanation]
      description: The check of a practice answer (practice items only; they never count as gold).
      properties:
        score:
          type: number
          minimum: 0
          maximum: 1
        correct:
          type: boolean
        answer:
          description: The right answer, of the item's kind.
        explanation:
          type: [string, "null"]

    RubricCriterion:
      type: object
      additionalProperties: false
      required: [id, description, points]
      properties:
        id:
          type: string
        description:
          type: string
        points:
          type: number
          minimum: 0

    GradingQueue:
      type: object
      additionalProperties: false
      required: [attempts]
      properties:
        attempts:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [attempt_id, assessment_title, applicant, submitted_at, items_to_grade]
            properties:
              attempt_id:
                $ref: '#/components/schemas/Id'
              assessment_title:
                type: string
              applicant:
                $ref: '#/components/schemas/ApplicantRef'
              submitted_at:
                $ref: '#/components/schemas/Timestamp'
              items_to_grade:
                type: integer
                minimum: 0

    Grading:
      type: object
      additionalProperties: false
      required: [attempt_id, assessment_title, applicant, submitted_at, auto_score, items, result]
      properties:
        attempt_id:
          $ref: '#/components/schemas/Id'
        assessment_title:
          type: string
        applicant:
          $ref: '#/components/schemas/ApplicantRef'
        submitted_at:
          $ref: '#/components/schemas/Timestamp'
        auto_score:
          $ref: '#/components/schemas/Score'
        items:
          type: array
          description: The written items, with the applicant's answers and the rubric.
          items:
            type: object
            additionalProperties: false
            required: [id, prompt, prompt_html, points, answer, rubric, grade]
            properties:
              id:
                type: string
              prompt:
                type: string
              prompt_html:
                type: string
              points:
                type: number
                minimum: 0
              answer:
                type: [string, "null"]
              rubric:
                type: array
                items:
                  $ref: '#/components/schemas/RubricCriterion'
              grade:
                anyOf:
                  - $ref: '#/components/schemas/Grade'
                  - type: "null"
        result:
          anyOf:
            - $ref: '#/components/schemas/Result'
            - type: "null"

    Grade:
      type: object
      additionalProperties: false
      required: [points, total, comment, by, at]
      properties:
        points:
          type: object
          description: Criterion id to the points awarded.
          additionalProperties:
            type: number
            minimum: 0
        total:
          type: number
          minimum: 0
        comment:
          type: [string, "null"]
        by:
          type: string
          description: The grader's e-mail.
        at:
          $ref: '#/components/schemas/Timestamp'

    GradeCreate:
      type: object
      required: [item_id, points]
      properties:
        item_id:
          type: string
        points:
          type: object
          additionalProperties:
            type: number
            minimum: 0
        comment:
          type: [string, "null"]

    MatchItem:
      type: object
      additionalProperties: false
      required: [requirement, kind, weight, met, hard]
      properties:
        requirement:
          type: string
          description: 'Plain English, e.g. "holds STEM: chemistry", "German at fluent or better".'
        kind:
          type: string
          description: qualification, language, country, field, credential, experience or availability.
        weight:
          type: number
          minimum: 0
          maximum: 100
        met:
          type: boolean
        hard:
          type: boolean
        track:
          type: [string, "null"]
          description: For an unmet qualification, the track to earn.

    Match:
      type: object
      additionalProperties: false
      required: [score, eligible, items]
      description: >-
        How a worker matches a project: each requirement, met or missing, with its weight; the weights
        of what is met add up to the score.
      properties:
        score:
          type: number
          minimum: 0
          maximum: 100
        eligible:
          type: boolean
          description: Every hard requirement is met.
        items:
          type: array
          items:
            $ref: '#/components/schemas/MatchItem'

    LanguageRequirement:
      type: object
      additionalProperties: false
      required: [code, min_level]
      properties:
        code:
          $ref: '#/components/schemas/LanguageCode'
        min_level:
          $ref: '#/components/schemas/Proficiency'

    Requirements:
      type: object
      additionalProperties: false
      description: >-
        What a project asks of its workers: hard requirements (tracks, languages, countries) and
        preferences that only count in the match score. `{}` = none.
      properties:
        any_of:
          type: array
          description: Hold at least one of these tracks.
          items:
            $ref: '#/components/schemas/TrackId'
        all_of:
          type: array
          description: Hold every one of these tracks.
          items:
            $ref: '#/components/schemas/TrackId'
        languages:
          type: array
          items:
            $ref: '#/components/schemas/LanguageRequirement'
        countries:
          type: array
          description: ISO 3166-1 alpha-2 codes; empty = anywhere.
          items:
            type: string
            pattern: '^[A-Z]{2}$'
        preferences:
          type: object
          additionalProperties: false
          properties:
            fields:
              type: array
              items:
                type: string
            credentials:
              type: array
              items:
                type: string
            min_years:
              type: [integer, "null"]
              minimum: 0
            min_hours_per_week:
              type: [integer, "null"]
              minimum: 0

    ListingSettings:
      type: object
      additionalProperties: false
      required: [listed]
      description: Whether the project is on the public job board and what its listing shows.
      properties:
        listed:
          type: boolean
        title:
          type: [string, "null"]
        description:
          type: [string, "null"]
        show_rate:
          type: boolean
          default: true
        show_requirements:
          type: boolean
          default: true

    ListingSettingsInput:
      type: object
      properties:
        listed:
          type: boolean
        title:
          type: [string, "null"]
        description:
          type: [string, "null"]
        show_rate:
          type: boolean
          default: true
        show_requirements:
          type: boolean
          default: true

    TrackRef:
      type: object
      additionalProperties: false
      required: [id, name]
      properties:
        id:
          $ref: '#/components/schemas/TrackId'
        name:
          type: string

    Listing:
      type: object
      additionalProperties: false
      required: [id, title, description, tracks, family, rate_cents, qualifications, languages, countries, expected_hours, tasks_left, updated_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        title:
          type: string
        description:
          type: string
        tracks:
          type: array
          items:
            $ref: '#/components/schemas/TrackRef'
        family:
          type: [string, "null"]
          enum: [general, multilingual, coding, stem, professional, null]
        rate_cents:
          type: [integer, "null"]
          minimum: 0
          description: The hourly rate in cents; null when the requester hides it.
        qualifications:
          type: array
          description: The required qualifications in plain English (empty when hidden).
          items:
            type: string
        languages:
          type: array
          items:
            $ref: '#/components/schemas/LanguageRequirement'
        countries:
          type: array
          items:
            type: string
        expected_hours:
          type: [number, "null"]
          minimum: 0
          description: The hours the work left is expected to take.
        tasks_left:
          type: integer
          minimum: 0
        updated_at:
          $ref: '#/components/schemas/Timestamp'

    ListingList:
      type: object
      additionalProperties: false
      required: [listings]
      properties:
        listings:
          type: array
          items:
            $ref: '#/components/schemas/Listing'

    QuizAnswers:
      type: object
      properties:
        fields:
          type: array
          items:
            type: string
        degree:
          anyOf:
            - $ref: '#/components/schemas/DegreeLevel'
            - type: "null"
        years_experience:
          type: integer
          minimum: 0
        languages:
          type: array
          items:
            type: string
        programming:
          type: boolean
        credentials:
          type: array
          items:
            type: string

    QuizResult:
      type: object
      additionalProperties: false
      required: [tracks]
      properties:
        tracks:
          type: array
          description: Best fit first.
          items:
            type: object
            additionalProperties: false
            required: [track, name, base_rate_cents, fits, score, reasons, assessments]
            properties:
              track:
                $ref: '#/components/schemas/TrackId'
              name:
                type: string
              base_rate_cents:
                type: integer
                minimum: 0
              fits:
                type: boolean
              score:
                type: number
                minimum: 0
                description: How well the background fits the track (higher is better).
              reasons:
                type: array
                items:
                  type: string
              assessments:
                type: array
                items:
                  $ref: '#/components/schemas/AssessmentRef'

    Reach:
      type: object
      additionalProperties: false
      required: [qualified_workers, weekly_hours, close_workers]
      properties:
        qualified_workers:
          type: integer
          minimum: 0
        weekly_hours:
          type: integer
          minimum: 0
          description: The qualified workers' total availability, in hours per week.
        close_workers:
          type: integer
          minimum: 0

    AlertSettings:
      type: object
      additionalProperties: false
      required: [enabled]
      properties:
        enabled:
          type: boolean

    Notification:
      type: object
      additionalProperties: false
      required: [id, kind, title, body, link, created_at, read]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        kind:
          type: string
          description: For example `status`, `alert`, `grading`.
        title:
          type: string
        body:
          type: string
          description: Plain text.
        link:
          type: [string, "null"]
          description: A path in the app.
        created_at:
          $ref: '#/components/schemas/Timestamp'
        read:
          type: boolean

    NotificationList:
      type: object
      additionalProperties: false
      required: [notifications, unread]
      properties:
        notifications:
          type: array
          items:
            $ref: '#/components/schemas/Notification'
        unread:
          type: integer
          minimum: 0

    UnreadCount:
      type: object
      additionalProperties: false
      required: [unread]
      properties:
        unread:
          type: integer
          minimum: 0

    Dashboard:
      type: object
      additionalProperties: false
      required: [status, name, qualifications, stats, projects, close, assessments, unread_notifications]
      properties:
        status:
          $ref: '#/components/schemas/WorkerStatus'
        name:
          type: string
        qualifications:
          type: array
          items:
            $ref: '#/components/schemas/Qualification'
        stats:
          type: object
          additionalProperties: false
          required: [hours_this_week, tasks_this_week, earnings_cents_this_week, quality, quality_as_of]
          properties:
            hours_this_week:
              type: number
              minimum: 0
            tasks_this_week:
              type: integer
              minimum: 0
            earnings_cents_this_week:
              type: integer
              minimum: 0
            quality:
              type: [number, "null"]
              minimum: 0
              maximum: 1
              description: As of the start of today (UTC); null without enough scored work.
            quality_as_of:
              $ref: '#/components/schemas/Timestamp'
        projects:
          type: array
          description: Projects whose requirements the worker meets (approved workers only).
          items:
            type: object
            additionalProperties: false
            required: [id, name, rate_cents, expected_seconds_per_task, tasks_left, requirements, deliverables, guidelines_html, match, label_url]
            properties:
              id:
                $ref: '#/components/schemas/Id'
              name:
                type: string
              rate_cents:
                type: integer
                minimum: 0
              expected_seconds_per_task:
                type: [integer, "null"]
                minimum: 0
              tasks_left:
                type: integer
                minimum: 0
              requirements:
                type: array
                description: The hard requirements in plain English.
                items:
                  type: string
              deliverables:
                type: array
                description: What each task asks for, in plain English.
                items:
                  type: string
              guidelines_html:
                type: string
              match:
                $ref: '#/components/schemas/Match'
              label_url:
                type: string
        close:
          type: array
          description: Projects the worker is close to qualifying for, with what is missing.
          items:
            type: object
            additionalProperties: false
            required: [id, name, rate_cents, missing, match]
            properties:
              id:
                $ref: '#/components/schemas/Id'
              name:
                type: string
              rate_cents:
                type: integer
                minimum: 0
              missing:
                type: array
                items:
                  type: object
                  additionalProperties: false
                  required: [text, track, assessments]
                  properties:
                    text:
                      type: string
                      description: For example "take the chemistry assessment".
                    track:
                      type: [string, "null"]
                    assessments:
                      type: array
                      items:
                        $ref: '#/components/schemas/AssessmentRef'
              match:
                $ref: '#/components/schemas/Match'
        assessments:
          type: array
          items:
            $ref: '#/components/schemas/AssessmentSummary'
        unread_notifications:
          type: integer
          minimum: 0

    AuditEvent:
      type: object
      additionalProperties: false
      required: [id, actor, action, subject_type, subject_id, detail, at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        actor:
          type: [string, "null"]
          description: The e-mail of who acted; null for the system.
        action:
          type: string
          description: For example `application.status`, `credential.review`, `qualification.grant`, `track.update`, `grading.grade`.
        subject_type:
          type: string
        subject_id:
          type: string
        detail:
          type: object
        at:
          $ref: '#/components/schemas/Timestamp'

    AuditLog:
      type: object
      additionalProperties: false
      required: [events]
      properties:
        events:
          type: array
          items:
            $ref: '#/components/schemas/AuditEvent'

    Day:
      type: string
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
      description: A day in UTC, YYYY-MM-DD.

    PayMode:
      type: string
      enum: [hourly, per_task]
      description: >-
        How a project pays: by the hour of active time, or a fixed amount per first-version annotation.

    ActivityPing:
      type: object
      required: [tab, seq, active_s, idle_s]
      properties:
        tab:
          type: string
          pattern: '^[A-Za-z0-9_-]{8,64}$'
          description: A random id of this page load.
        seq:
          type: integer
          minimum: 0
          description: One more than this tab's previous ping; a seq not above the last one seen credits nothing.
        active_s:
          type: number
          minimum: 0
          maximum: 3600
          description: >-
            Active seconds the page measured (monotonic clock) since its last acknowledged ping; time of
            a lost ping is added to the next.
        idle_s:
          type: number
          minimum: 0
          description: Seconds since the last input event, at the moment of sending.

    ActivityCredit:
      type: object
      additionalProperties: false
      required: [credited_s, task_active_s, idle_seconds]
      properties:
        credited_s:
          type: number
          minimum: 0
          maximum: 3600
          description: The active seconds this ping added (0 for a duplicate or time already credited).
        task_active_s:
          type: number
          minimum: 0
          description: The worker's active seconds on this task so far.
        idle_seconds:
          type: integer
          minimum: 10
          maximum: 600
          description: The idle window in force.

    Timesheet:
      type: object
      additionalProperties: false
      required: [from, to, idle_seconds, total_active_s, total_rejected_s, total_earned_cents, days]
      properties:
        from:
          $ref: '#/components/schemas/Day'
        to:
          $ref: '#/components/schemas/Day'
        idle_seconds:
          type: integer
          minimum: 10
          maximum: 600
        total_active_s:
          type: number
          minimum: 0
          description: The active time of the listed days, the sum of their `active_s` (rejected time included).
        total_rejected_s:
          type: number
          minimum: 0
          description: The part of `total_active_s` the quality policy rejected (not paid).
        total_earned_cents:
          type: integer
          minimum: 0
        days:
          type: array
          description: Newest day first; days with no time, no task and no note are left out.
          items:
            $ref: '#/components/schemas/TimesheetDay'

    TimesheetDay:
      type: object
      additionalProperties: false
      required: [day, active_s, tasks, earned_cents, rejected_s, note, projects]
      properties:
        day:
          $ref: '#/components/schemas/Day'
        active_s:
          type: number
          minimum: 0
          description: Active seconds credited on this day (UTC), rejected time included.
        tasks:
          type: integer
          minimum: 0
          description: Tasks submitted on the day (first answers).
        earned_cents:
          type: integer
          minimum: 0
          description: >-
            The day's time valued as posting values it (rejected time earns nothing), plus per-task
            entries.
        rejected_s:
          type: number
          minimum: 0
          description: The part of `active_s` that the quality policy rejected.
        note:
          type: [string, "null"]
          description: The worker's note on the day.
        projects:
          type: array
          items:
            $ref: '#/components/schemas/TimesheetProject'

    TimesheetProject:
      type: object
      additionalProperties: false
      required: [project_id, project_name, active_s, tasks, earned_cents, rejected_s, rejections]
      properties:
        project_id:
          $ref: '#/components/schemas/Id'
        project_name:
          type: string
        active_s:
          type: number
          minimum: 0
        tasks:
          type: integer
          minimum: 0
        earned_cents:
          type: integer
          minimum: 0
        rejected_s:
          type: number
          minimum: 0
        rejections:
          type: array
          description: The time the quality policy rejected, task by task, with why.
          items:
            type: object
            additionalProperties: false
            required: [task_id, active_s, reason]
            properties:
              task_id:
                $ref: '#/components/schemas/Id'
              active_s:
                type: number
                minimum: 0
              reason:
                type: string
                description: 'For example "Rushed: a failed gold task done in 2 s (under 5 s)" or "Rejected in review".'

    TimesheetNoteUpdate:
      type: object
      required: [note]
      properties:
        note:
          type: string
          maxLength: 2000
          description: An empty note deletes the day's note.

    TimesheetNote:
      type: object
      additionalProperties: false
      required: [day, note]
      properties:
        day:
          $ref: '#/components/schemas/Day'
        note:
          type: [string, "null"]
          description: The saved note (trimmed); null once deleted.

    PaySettings:
      type: object
      additionalProperties: false
      required: [bands, min_reviewed, idle_seconds, period_days]
      description: >-
        The admin's pay settings. A worker's multiplier on a project is that of the highest band whose
        `min_quality` their quality score reaches, once `min_reviewed` of their tasks there have been
        reviewed; before that, the first band's.
      properties:
        bands:
          type: array
          minItems: 1
          maxItems: 8
          description: Sorted by `min_quality` (strictly rising), the first at 0, multipliers never going down.
          items:
            type: object
            additionalProperties: false
            required: [min_quality, multiplier]
            properties:
              min_quality:
                type: number
                minimum: 0
                maximum: 1
              multiplier:
                type: number
                minimum: 1
                maximum: 10
                description: At most 4 decimals (a whole number of basis points), e.g. 1.1 (11000 bp).
        min_reviewed:
          type: integer
          minimum: 0
          maximum: 10000
          description: Reviewed tasks on a project before a band above the first applies.
        idle_seconds:
          type: integer
          minimum: 10
          maximum: 600
          description: The idle window, in seconds without input after which active time stops counting.
        period_days:
          type: integer
          minimum: 1
          maximum: 31
          description: The length of a pay period (7 = weekly, Monday 00:00 UTC to Monday).

    NextBand:
      type: [object, "null"]
      additionalProperties: false
      required: [min_quality, multiplier_bp, reviewed_needed]
      description: The next band up and what it takes; null at the top band.
      properties:
        min_quality:
          type: number
          minimum: 0
          maximum: 1
        multiplier_bp:
          type: integer
          minimum: 10000
          maximum: 100000
        reviewed_needed:
          type: integer
          minimum: 0
          description: More reviewed tasks needed before any raise applies (0 when enough).

    WorkerRate:
      type: object
      additionalProperties: false
      required:
        - project_id
        - project_name
        - mode
        - base_rate_cents
        - base_reason
        - multiplier_bp
        - multiplier_reason
        - quality
        - reviewed
        - effective_rate_cents
        - task_rate_cents
        - next
      properties:
        project_id:
          $ref: '#/components/schemas/Id'
        project_name:
          type: string
        mode:
          $ref: '#/components/schemas/PayMode'
        base_rate_cents:
          type: integer
          minimum: 0
          description: The hourly base, the project's rate or the worker's track floor, whichever is higher.
        base_reason:
          type: string
          description: Where the base comes from, in plain English.
        multiplier_bp:
          type: integer
          minimum: 10000
          maximum: 100000
          description: The quality multiplier in basis points (10000 = 1.0).
        multiplier_reason:
          type: string
        quality:
          type: [number, "null"]
          minimum: 0
          maximum: 1
          description: The worker's quality on the project; null without scored work.
        reviewed:
          type: integer
          minimum: 0
        effective_rate_cents:
          type: integer
          minimum: 0
          description: The base x the multiplier, rounded half to even (display; amounts are rounded per entry).
        task_rate_cents:
          type: [integer, "null"]
          minimum: 1
          description: The project's rate per task (per_task projects); null for hourly ones.
        next:
          $ref: '#/components/schemas/NextBand'

    Earnings:
      type: object
      additionalProperties: false
      required: [balance_cents, pending_cents, period, paid_to_date_cents, currency, rates, settings]
      properties:
        balance_cents:
          type: integer
          description: >-
            The sum of the worker's ledger entries (payouts are negative): what is earned and not yet paid.
        pending_cents:
          type: integer
          minimum: 0
          description: Active time not yet posted to the ledger, valued as posting will value it.
        period:
          type: object
          additionalProperties: false
          required: [starts_at, ends_at, earned_cents]
          description: The current pay period and what the worker earned in it.
          properties:
            starts_at:
              $ref: '#/components/schemas/Timestamp'
            ends_at:
              $ref: '#/components/schemas/Timestamp'
            earned_cents:
              type: integer
        paid_to_date_cents:
          type: integer
          minimum: 0
        currency:
          type: string
          enum: [USD]
        rates:
          type: array
          description: The rate on each project, why, and what raises it.
          items:
            $ref: '#/components/schemas/WorkerRate'
        settings:
          $ref: '#/components/schemas/PaySettings'

    LedgerKind:
      type: string
      enum: [work, bonus, adjustment, payout]

    LedgerEntry:
      type: object
      additionalProperties: false
      required:
        - id
        - kind
        - amount_cents
        - memo
        - project_id
        - project_name
        - task_id
        - created_by
        - earned_at
        - created_at
        - paid
        - period_id
      description: >-
        One entry of a worker's ledger. Entries are never changed or deleted: a correction is a new
        `adjustment`. Work and bonuses are positive, payouts negative.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        kind:
          $ref: '#/components/schemas/LedgerKind'
        amount_cents:
          type: integer
        memo:
          type: string
          description: >-
            What and why: the time and rate of a work entry (`4m 33s at $20.00/h`, with the multiplier when
            it is not 1), an admin's reason, `Time rejected: <reason>` for a reversal, `Payout for <first
            day> to <last day>`.
        project_id:
          type: [string, "null"]
          format: uuid
        project_name:
          type: [string, "null"]
        task_id:
          type: [string, "null"]
          format: uuid
        created_by:
          type: [string, "null"]
          description: The e-mail of the admin who made the entry; null for Gloss itself.
        earned_at:
          $ref: '#/components/schemas/Timestamp'
        created_at:
          $ref: '#/components/schemas/Timestamp'
        paid:
          type: boolean
          description: Whether a closed pay period has paid the entry.
        period_id:
          type: [string, "null"]
          format: uuid
          description: The pay period that paid it.

    LedgerPage:
      type: object
      additionalProperties: false
      required: [entries, next]
      properties:
        entries:
          type: array
          description: Newest first.
          items:
            $ref: '#/components/schemas/LedgerEntry'
        next:
          type: [string, "null"]
          description: Pass as `before` for the next page; null on the last page.

    WorkerLedgerPage:
      type: object
      additionalProperties: false
      required: [entries, next, balance_cents]
      properties:
        entries:
          type: array
          description: Newest first.
          items:
            $ref: '#/components/schemas/LedgerEntry'
        next:
          type: [string, "null"]
          description: Pass as `before` for the next page; null on the last page.
        balance_cents:
          type: integer

    LedgerEntryCreate:
      type: object
      required: [kind, amount_cents, reason]
      properties:
        kind:
          type: string
          enum: [bonus, adjustment]
        amount_cents:
          type: integer
          description: A bonus is above 0; an adjustment is any amount but 0.
        reason:
          type: string
          minLength: 1
          maxLength: 500
        project_id:
          $ref: '#/components/schemas/Id'

    ProjectCost:
      type: object
      additionalProperties: false
      required:
        - spend_cents
        - accrued_cents
        - hours
        - active_s
        - accepted
        - cost_per_accepted_cents
        - remaining
        - median_active_s
        - forecast_cents
        - mode
        - current_rate_cents
        - task_rate_cents
        - days
      properties:
        spend_cents:
          type: integer
          description: >-
            The project's ledger entries to date (payouts aside) plus `accrued_cents`: what the project has
            cost so far.
        accrued_cents:
          type: integer
          minimum: 0
          description: The part of the spend that is time not yet posted, valued.
        hours:
          type: number
          minimum: 0
          description: The active time worked on the project (rejected time left out), in hours.
        active_s:
          type: number
          minimum: 0
          description: The same, in seconds.
        accepted:
          type: integer
          minimum: 0
          description: Accepted annotations.
        cost_per_accepted_cents:
          type: [integer, "null"]
          description: Null before the first accepted annotation.
        remaining:
          type: integer
          minimum: 0
          description: Annotations still needed to finish the project.
        median_active_s:
          type: [number, "null"]
          minimum: 0
          description: The median active time per accepted annotation over the last 7 days; null without any.
        forecast_cents:
          type: [integer, "null"]
          minimum: 0
          description: >-
            The cost to finish at the current pace and rates: remaining x median active time x
            `current_rate_cents` (hourly), or remaining x the task amount (per task); null without a median
            (hourly) or a task rate (per task).
        mode:
          $ref: '#/components/schemas/PayMode'
        current_rate_cents:
          type: integer
          minimum: 0
          description: >-
            The hourly rate the forecast uses: each worker's effective rate (base x multiplier) on the project,
            weighted by their active time over the last 7 days; the project's rate when nobody worked lately.
        task_rate_cents:
          type: [integer, "null"]
          minimum: 1
          description: The rate per task in force (per_task); null for hourly.
        days:
          type: array
          description: Every day of the window, oldest first.
          items:
            type: object
            additionalProperties: false
            required: [day, spend_cents, accepted, active_s]
            properties:
              day:
                $ref: '#/components/schemas/Day'
              spend_cents:
                type: integer
              accepted:
                type: integer
                minimum: 0
              active_s:
                type: number
                minimum: 0

    RateChange:
      type: object
      additionalProperties: false
      required: [id, mode, rate_cents, task_rate_cents, effective_at, reason, created_by, created_at]
      description: How a project pays from `effective_at` on, until the next change.
      properties:
        id:
          $ref: '#/components/schemas/Id'
        mode:
          $ref: '#/components/schemas/PayMode'
        rate_cents:
          type: [integer, "null"]
          minimum: 0
          description: The hourly rate; null = the project's minimum (the base rate of its required tracks).
        task_rate_cents:
          type: [integer, "null"]
          minimum: 1
          maximum: 1000000
          description: The rate per task (per_task); null for hourly.
        effective_at:
          $ref: '#/components/schemas/Timestamp'
        reason:
          type: string
          description: Empty when none was given.
        created_by:
          type: [string, "null"]
          description: The e-mail of who made the change; null for Gloss itself.
        created_at:
          $ref: '#/components/schemas/Timestamp'

    RateHistory:
      type: object
      additionalProperties: false
      required: [current, changes]
      properties:
        current:
          type: object
          additionalProperties: false
          required: [mode, rate_cents, task_rate_cents, minimum_rate_cents, minimum_track]
          description: How the project pays now (the change in force, else the project's own rate).
          properties:
            mode:
              $ref: '#/components/schemas/PayMode'
            rate_cents:
              type: integer
              minimum: 0
              description: The hourly rate in force, never below the minimum.
            task_rate_cents:
              type: [integer, "null"]
              minimum: 1
              description: The rate per task (per_task); null for hourly.
            minimum_rate_cents:
              type: integer
              minimum: 0
              description: The lowest hourly rate the project may pay (the highest base rate of its required tracks).
            minimum_track:
              type: string
              description: The track that sets the minimum.
        changes:
          type: array
          description: Every change, past and scheduled, the latest `effective_at` first.
          items:
            $ref: '#/components/schemas/RateChange'

    RateChangeCreate:
      type: object
      properties:
        mode:
          allOf:
            - $ref: '#/components/schemas/PayMode'
          description: Default hourly.
        rate_cents:
          type: [integer, "null"]
          minimum: 0
          maximum: 1000000
          description: Hourly; null or left out = the project's minimum; below it is a 422.
        task_rate_cents:
          type: integer
          minimum: 1
          maximum: 1000000
          description: Required for per_task.
        effective_at:
          type: string
          format: date-time
          description: Default now; more than 60 s in the past is a 422 (less is taken as now).
        reason:
          type: string
          maxLength: 500

    PayPeriod:
      type: object
      additionalProperties: false
      required: [id, starts_at, ends_at, closed_at, closed_by, total_cents, workers]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        starts_at:
          $ref: '#/components/schemas/Timestamp'
        ends_at:
          $ref: '#/components/schemas/Timestamp'
        closed_at:
          $ref: '#/components/schemas/Timestamp'
        closed_by:
          type: [string, "null"]
          description: The e-mail of the admin who closed it (null once that account is gone).
        total_cents:
          type: integer
          description: The sum of the period's payouts.
        workers:
          type: integer
          minimum: 0
          description: The number of workers paid.

    PayPeriodList:
      type: object
      additionalProperties: false
      required: [periods, next_end, unpaid_cents]
      properties:
        periods:
          type: array
          description: The latest end first.
          items:
            $ref: '#/components/schemas/PayPeriod'
        next_end:
          type: [string, "null"]
          format: date-time
          description: >-
            The end the next close defaults to: the latest period boundary at or before now that is after
            the last closed end; null when there is none yet.
        unpaid_cents:
          type: integer
          description: Everything earned and not yet paid, all workers together.

    PayPeriodClose:
      type: object
      properties:
        ends_at:
          type: string
          format: date-time
          description: Default `next_end`.

    Payout:
      type: object
      additionalProperties: false
      required: [worker_id, name, email, amount_cents, entries]
      properties:
        worker_id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        email:
          type: string
        amount_cents:
          type: integer
        entries:
          type: integer
          minimum: 0
          description: The number of ledger entries the payout pays.

    PayPeriodDetail:
      type: object
      additionalProperties: false
      required: [id, starts_at, ends_at, closed_at, closed_by, total_cents, workers, payouts]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        starts_at:
          $ref: '#/components/schemas/Timestamp'
        ends_at:
          $ref: '#/components/schemas/Timestamp'
        closed_at:
          $ref: '#/components/schemas/Timestamp'
        closed_by:
          type: [string, "null"]
        total_cents:
          type: integer
        workers:
          type: integer
          minimum: 0
        already_closed:
          type: boolean
          description: Always true here (the same member as the close's answer).
        payouts:
          type: array
          items:
            $ref: '#/components/schemas/Payout'

    PayPeriodClosed:
      type: object
      additionalProperties: false
      required: [id, starts_at, ends_at, closed_at, closed_by, total_cents, workers, already_closed, payouts]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        starts_at:
          $ref: '#/components/schemas/Timestamp'
        ends_at:
          $ref: '#/components/schemas/Timestamp'
        closed_at:
          $ref: '#/components/schemas/Timestamp'
        closed_by:
          type: [string, "null"]
        total_cents:
          type: integer
        workers:
          type: integer
          minimum: 0
        already_closed:
          type: boolean
          description: True when this `ends_at` was closed before; nothing was paid again.
        payouts:
          type: array
          items:
            $ref: '#/components/schemas/Payout'

    Health:
      type: object
      properties:
        status:
          type: string

    ProblemItem:
      type: object
      required: [message]
      properties:
        field:
          type: string
        line:
          type: integer
          minimum: 1
        message:
          type: string

    Problem:
      type: object
      description: An RFC 9457 problem; `field` and `line` are present only when they apply.
      required: [type, title, status]
      properties:
        type:
          type: string
        title:
          type: string
        status:
          type: integer
          minimum: 400
          maximum: 599
        detail:
          type: string
        field:
          type: string
        line:
          type: integer
          minimum: 1
        errors:
          type: array
          items:
            $ref: '#/components/schemas/ProblemItem'
"""#
}
